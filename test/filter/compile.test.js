'use strict';
// Filters compiled into project/query's predicates, table by table: for every
// source and operator, the rules equal those Comet's Python SDK builds for the
// same query (comet_ml/query.py: `{ id, field, type, operator, value }`, one
// entry per source under an AND, `between` as two strings, `== True` as
// `equal 1`, `== None` / `== ""` as is_null / is_empty with value None);
// `not` as the SDK's `~`; `or` as one query per branch; and the errors, each
// before anything is sent.
const assert = require('node:assert/strict');
const { compileFilter, MAX_QUERIES } = require('../../nodes/filter/compile');
const { parseFilter } = require('../../nodes/filter/parse');
const { editDistance, nearest } = require('../../nodes/filter/nearest');
const { catalogTranslate } = require('../../nodes/node-red/i18n');

const t = catalogTranslate();

/** A project's columns as project/column-names gives them: one of each source, and a name two sources share. */
const COLUMNS = Object.entries({
  metrics: { accuracy: 'double', 'val loss': 'double', lr: 'double' },
  params: { lr: 'double', model_type: 'string', max_depth: 'double' },
  log_other: { dataset: 'string', rows_train: 'double' },
  metadata: { experimentName: 'string', durationMillis: 'timenumber' },
  env_details: { os: 'string' },
  tag: { tags: 'string' },
}).flatMap(([source, types]) => Object.entries(types).map(([name, type]) => ({ name, type, source })));

const compile = (filter) => compileFilter(parseFilter(filter, t), COLUMNS, t);

/** The SDK's rule for a column of COLUMNS. */
function rule(name, source, operator, value) {
  const column = COLUMNS.find((c) => c.name === name && c.source === source);
  return { id: name, field: name, type: column.type, operator, value };
}

/** The SDK's predicates: one entry per source, in the order the sources first appear. */
function predicates(...entries) {
  return entries.map(([source, ...rules]) => ({ source, query: { condition: 'AND', rules, valid: true } }));
}

/** [filter, source, column, operator, value]: one rule in one query, as the SDK gives it. */
const ONE_RULE = [
  // The six comparisons, on every source (a bare name and one with its source).
  ['accuracy == 0.9', 'metrics', 'accuracy', 'equal', 0.9],
  ['accuracy != 0.9', 'metrics', 'accuracy', 'not_equal', 0.9],
  ['accuracy < 0.9', 'metrics', 'accuracy', 'less', 0.9],
  ['accuracy <= 0.9', 'metrics', 'accuracy', 'less_or_equal', 0.9],
  ['accuracy > 0.9', 'metrics', 'accuracy', 'greater', 0.9],
  ['accuracy >= 0.9', 'metrics', 'accuracy', 'greater_or_equal', 0.9],
  ['metric.accuracy > -1.5', 'metrics', 'accuracy', 'greater', -1.5],
  ['metric["val loss"] < 0.3', 'metrics', 'val loss', 'less', 0.3],
  ['param.lr >= 0.01', 'params', 'lr', 'greater_or_equal', 0.01],
  ['model_type == "xgboost"', 'params', 'model_type', 'equal', 'xgboost'],
  ["param['model_type'] != 'mlp'", 'params', 'model_type', 'not_equal', 'mlp'],
  ['dataset == "churn-2024-03"', 'log_other', 'dataset', 'equal', 'churn-2024-03'],
  ['other.rows_train > 42000', 'log_other', 'rows_train', 'greater', 42000],
  ['metadata.experimentName == "xgb-depth8"', 'metadata', 'experimentName', 'equal', 'xgb-depth8'],
  ['durationMillis < 60000', 'metadata', 'durationMillis', 'less', 60000],
  ['env.os == "linux"', 'env_details', 'os', 'equal', 'linux'],
  // A value on the left reads the other way round.
  ['0.8 < accuracy', 'metrics', 'accuracy', 'greater', 0.8],
  ['0.8 >= accuracy', 'metrics', 'accuracy', 'less_or_equal', 0.8],
  ['"mlp" == model_type', 'params', 'model_type', 'equal', 'mlp'],
  // None, "", True and False as the SDK's __eq__ / __ne__ send them.
  ['accuracy == null', 'metrics', 'accuracy', 'is_null', null],
  ['accuracy == None', 'metrics', 'accuracy', 'is_null', null],
  ['accuracy != null', 'metrics', 'accuracy', 'is_not_null', null],
  ['model_type == ""', 'params', 'model_type', 'is_empty', null],
  ['model_type != ""', 'params', 'model_type', 'is_not_empty', null],
  ['max_depth == true', 'params', 'max_depth', 'equal', 1],
  ['max_depth == True', 'params', 'max_depth', 'equal', 1],
  ['max_depth == false', 'params', 'max_depth', 'equal', 0],
  ['max_depth != true', 'params', 'max_depth', 'not_equal', 1],
  // The methods: text ones on text columns, between on number ones (two strings).
  ['model_type.contains("xgb")', 'params', 'model_type', 'contains', 'xgb'],
  ['model_type.startswith("xg")', 'params', 'model_type', 'begins_with', 'xg'],
  ['model_type.endswith("boost")', 'params', 'model_type', 'ends_with', 'boost'],
  ['env.os.contains("linux")', 'env_details', 'os', 'contains', 'linux'],
  ['accuracy.between(0.8, 0.9)', 'metrics', 'accuracy', 'between', ['0.8', '0.9']],
  ['param.max_depth.between(4, 8)', 'params', 'max_depth', 'between', ['4', '8']],
  ['accuracy.between(-1, 1e-3)', 'metrics', 'accuracy', 'between', ['-1', '0.001']],
  // not: the SDK's ~, operator by operator.
  ['not accuracy == 0.9', 'metrics', 'accuracy', 'not_equal', 0.9],
  ['not accuracy != 0.9', 'metrics', 'accuracy', 'equal', 0.9],
  ['not accuracy < 0.9', 'metrics', 'accuracy', 'greater_or_equal', 0.9],
  ['not accuracy >= 0.9', 'metrics', 'accuracy', 'less', 0.9],
  ['not accuracy > 0.9', 'metrics', 'accuracy', 'less_or_equal', 0.9],
  ['not (accuracy <= 0.9)', 'metrics', 'accuracy', 'greater', 0.9],
  ['not accuracy.between(0.8, 0.9)', 'metrics', 'accuracy', 'not_between', ['0.8', '0.9']],
  ['not not accuracy.between(0.8, 0.9)', 'metrics', 'accuracy', 'between', ['0.8', '0.9']],
  ['not model_type.contains("xgb")', 'params', 'model_type', 'not_contains', 'xgb'],
  ['!model_type.startswith("xg")', 'params', 'model_type', 'not_begins_with', 'xg'],
  ['not model_type.endswith("boost")', 'params', 'model_type', 'not_ends_with', 'boost'],
  ['not accuracy == null', 'metrics', 'accuracy', 'is_not_null', null],
  ['not (accuracy != None)', 'metrics', 'accuracy', 'is_null', null],
  ['not model_type == ""', 'params', 'model_type', 'is_not_empty', null],
  ['not model_type != ""', 'params', 'model_type', 'is_empty', null],
];

describe('filters compiled into predicates', function () {
  describe('every source and operator: the rule the SDK gives', function () {
    for (const [filter, source, name, operator, value] of ONE_RULE) {
      it(`${filter}  →  ${source} ${operator} ${JSON.stringify(value)}`, function () {
        assert.deepEqual(compile(filter), [predicates([source, rule(name, source, operator, value)])]);
      });
    }

    it('tag("name"): a rule of source tag with the name as id, field and value, type string', function () {
      assert.deepEqual(compile('tag("best")'), [predicates(['tag', { id: 'best', field: 'best', type: 'string', operator: 'equal', value: 'best' }])]);
    });
  });

  describe('and: one query, one entry per source in the order sources first appear, as the SDK merges with &', function () {
    it('accuracy > 0.8 and model_type == "xgboost"', function () {
      assert.deepEqual(compile('accuracy > 0.8 and model_type == "xgboost"'), [
        predicates(['metrics', rule('accuracy', 'metrics', 'greater', 0.8)], ['params', rule('model_type', 'params', 'equal', 'xgboost')]),
      ]);
    });

    it('rules of one source merge into its first entry, whatever comes between; && and parentheses alike', function () {
      assert.deepEqual(compile('param.lr < 0.1 && (accuracy > 0.8 and tag("sweep")) and max_depth >= 6 && metric["val loss"] < 0.4'), [
        predicates(
          ['params', rule('lr', 'params', 'less', 0.1), rule('max_depth', 'params', 'greater_or_equal', 6)],
          ['metrics', rule('accuracy', 'metrics', 'greater', 0.8), rule('val loss', 'metrics', 'less', 0.4)],
          ['tag', { id: 'sweep', field: 'sweep', type: 'string', operator: 'equal', value: 'sweep' }],
        ),
      ]);
    });
  });

  describe('or and not: one query per branch of the disjunctive normal form', function () {
    const acc = predicates(['metrics', rule('accuracy', 'metrics', 'greater', 0.8)]);
    const xgb = predicates(['params', rule('model_type', 'params', 'equal', 'xgboost')]);

    it('a or b: two queries', function () {
      assert.deepEqual(compile('accuracy > 0.8 or model_type == "xgboost"'), [acc, xgb]);
      assert.deepEqual(compile('accuracy > 0.8 || model_type == "xgboost"'), [acc, xgb]);
    });

    it('(a or b) and c: a and c, b and c', function () {
      assert.deepEqual(compile('(accuracy > 0.8 or model_type == "xgboost") and max_depth < 8'), [
        predicates(['metrics', rule('accuracy', 'metrics', 'greater', 0.8)], ['params', rule('max_depth', 'params', 'less', 8)]),
        predicates(['params', rule('model_type', 'params', 'equal', 'xgboost'), rule('max_depth', 'params', 'less', 8)]),
      ]);
    });

    it('(a or b) and (c or d): four queries, in order', function () {
      assert.equal(compile('(accuracy > 0.8 or accuracy < 0.1) and (max_depth == 4 or max_depth == 8)').length, 4);
    });

    it('not (a and b) is not a or not b; not (a or b) is not a and not b (De Morgan)', function () {
      assert.deepEqual(compile('not (accuracy > 0.8 and model_type == "xgboost")'), [
        predicates(['metrics', rule('accuracy', 'metrics', 'less_or_equal', 0.8)]),
        predicates(['params', rule('model_type', 'params', 'not_equal', 'xgboost')]),
      ]);
      assert.deepEqual(compile('not (accuracy > 0.8 or model_type.contains("xgb"))'), [
        predicates(['metrics', rule('accuracy', 'metrics', 'less_or_equal', 0.8)], ['params', rule('model_type', 'params', 'not_contains', 'xgb')]),
      ]);
    });

    it('a branch that comes out twice is asked once', function () {
      assert.deepEqual(compile('accuracy > 0.8 or accuracy > 0.8'), [acc]);
    });

    it(`more than ${MAX_QUERIES} queries: refused, saying how many`, function () {
      const five = '(accuracy == 1 or accuracy == 2 or accuracy == 3 or accuracy == 4 or accuracy == 5)';
      assert.throws(() => compile(`${five} and (max_depth == 1 or max_depth == 2 or max_depth == 3)`), /needs 15 queries .*more than 10/);
    });
  });

  describe('errors a person understands, thrown before anything is sent', function () {
    const ERRORS = [
      ['acuracy > 0.8', 'unknown column "acuracy": did you mean accuracy (metric)?'],
      ['model > 1', /unknown column "model": did you mean model_type \(parameter\)\?/],
      ['metric.acc > 1', /unknown metric "acc": did you mean accuracy \(metric\)/],
      ['lr > 0.01', '"lr" is both a metric and a parameter: write metric.lr or param.lr'],
      ['accuracy.between(0.8)', /^between needs two numbers/],
      ['accuracy.between("a", 1)', /^between needs two numbers/],
      ['model_type.between(1, 2)', 'model_type (parameter) is text: between needs a number column'],
      ['accuracy.contains("9")', /accuracy \(metric\) is of type double: contains, startswith and endswith need a text column/],
      ['model_type.contains(1)', /contains needs one text in quotes/],
      ['model_type == xgboost', /text goes in quotes, "xgboost"/],
      ['not tag("best")', /cannot ask for experiments without a tag/],
      ['accuracy', /"accuracy" alone is not a condition/],
      ['accuracy > 0.8 and', /"and" needs a condition on each side/],
      ['accuracy > (0.8', /The filter cannot be read: .* \(character 16 of/],
      ['accuracy >> 2', /">>" is not an operator of filters/],
      ['accuracy.round(2)', /is not a function of filters/],
      ['model_type.contains("x") == true', /is not compared with a value/],
      ['accuracy > 0.8 model_type == "x"', /stand side by side: join them with and \/ or/],
      ['accuracy < true', /compare with a number or text/],
      ['1 > 2', /compares no column/],
      ['metric["val loss"] == [1]', /is not a value/],
      ['   ', /^The filter is empty/],
      ['()', /^The filter is empty/],
      ['accuracy > 0.8 ? tag("a") : tag("b")', /"ConditionalExpression" is not a condition/],
      ['[accuracy > 0.8]', /"ArrayExpression" is not a condition/],
    ];
    for (const [filter, expected] of ERRORS) {
      it(`${filter}  →  ${expected}`, function () {
        assert.throws(
          () => compile(filter),
          (err) => {
            assert.equal(err.code, 'COMET_BAD_INPUT');
            if (typeof expected === 'string') assert.equal(err.message, expected);
            else assert.match(err.message, expected);
            return true;
          },
        );
      });
    }
  });

  describe('nearest names', function () {
    it('edit distance: insertions, deletions and changes', function () {
      assert.equal(editDistance('acuracy', 'accuracy'), 1);
      assert.equal(editDistance('kitten', 'sitting'), 3);
      assert.equal(editDistance('', 'abc'), 3);
    });

    it('the closest first, at most three, and some even when none is close', function () {
      const names = ['accuracy', 'val_accuracy', 'loss', 'val_loss', 'lr'];
      assert.deepEqual(nearest('acuracy', names, (n) => n), ['accuracy']);
      assert.deepEqual(nearest('accura', names, (n) => n), ['accuracy', 'val_accuracy']);
      assert.deepEqual(nearest('loss', names, (n) => n), ['loss', 'val_loss']);
      assert.equal(nearest('zzzzzzzz', names, (n) => n).length, 3);
    });
  });
});

describe('the filter field\'s suggestions: columns as a filter writes them', function () {
  const { filterColumns } = require('../../nodes/filter/lookup');

  it('bare where one source has the name; with its source where two have it, or where it is not a name', async function () {
    const list = await filterColumns({ params: { projectName: 'p' }, defaultWorkspace: 'w', ask: async () => ({ columns: COLUMNS }), t });
    const written = Object.fromEntries(list.map((s) => [s.label, s.value]));
    assert.deepEqual(written, {
      'accuracy · metric': 'accuracy',
      'val loss · metric': 'metric["val loss"]',
      'lr · metric': 'metric.lr',
      'lr · param': 'param.lr',
      'model_type · param': 'model_type',
      'max_depth · param': 'max_depth',
      'dataset · other': 'dataset',
      'rows_train · other': 'rows_train',
      'experimentName · metadata': 'experimentName',
      'durationMillis · metadata': 'durationMillis',
      'os · env': 'os',
    });
    for (const suggestion of list) assert.deepEqual(compile(`${suggestion.value} == 1`).length, 1, `${suggestion.value} compiles`);
  });
});
