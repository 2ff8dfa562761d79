'use strict';
// comet-query-project's `filter` against the sample server: for every source
// and operator, the predicates sent are the SDK's and the server's answer is
// the experiments it should be; `or` as one query per branch with the keys
// merged in the order they first appear, and what it costs in requests; the
// project's columns asked once a minute through the lookups' cache; every
// mistake caught before any query.
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { compileFilter } = require('../../nodes/filter/compile');
const { parseFilter } = require('../../nodes/filter/parse');
const { catalogTranslate } = require('../../nodes/node-red/i18n');
const { SAMPLE_KEY } = require('../helpers/runtime');
const { useNodeTest, loadNode, succeed, fail, assertBadInput } = require('./harness');

const TYPE = 'comet-query-project';
const churn = ids.projects.churn;
const key = (name) => ids.experiments[name];
const t = catalogTranslate();

/** [filter, the churn experiments (not archived) it matches, in the project's order]. */
const CASES = [
  ['accuracy == 0.882299', ['xgb-depth8']],
  ['accuracy != 0.882299', ['logreg-baseline', 'xgb-depth4', 'xgb-depth6', 'xgb-depth10', 'mlp-2x64']],
  ['accuracy < 0.83', ['logreg-baseline', 'xgb-depth4']],
  ['metric.accuracy <= 0.825257', ['logreg-baseline', 'xgb-depth4']],
  ['accuracy > 0.86', ['xgb-depth6', 'xgb-depth8', 'xgb-depth10']],
  ['accuracy >= 0.86411', ['xgb-depth8', 'xgb-depth10']],
  ['accuracy.between(0.83, 0.87)', ['xgb-depth6', 'xgb-depth10', 'mlp-2x64']],
  ['not accuracy.between(0.83, 0.87)', ['logreg-baseline', 'xgb-depth4', 'xgb-depth8']],
  ['val_loss < 0.3 and loss < 0.25', ['xgb-depth6', 'xgb-depth8']],
  ['model_type == "xgboost"', ['xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10']],
  ['param.model_type != "xgboost"', ['logreg-baseline', 'mlp-2x64']],
  ['model_type.contains("LOG")', ['logreg-baseline']],
  ['not model_type.contains("g")', ['mlp-2x64']],
  ['model_type.startswith("xg")', ['xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10']],
  ['not model_type.startswith("xg")', ['logreg-baseline', 'mlp-2x64']],
  ['model_type.endswith("reg")', ['logreg-baseline']],
  ['not model_type.endswith("boost")', ['logreg-baseline', 'mlp-2x64']],
  ['hidden == null', ['logreg-baseline', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10']],
  ['hidden != null', ['mlp-2x64']],
  ['hidden == ""', ['logreg-baseline', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10']],
  ['hidden != ""', ['mlp-2x64']],
  ['max_depth >= 8', ['xgb-depth8', 'xgb-depth10']],
  ['other.rows_train > 43000', ['xgb-depth10', 'mlp-2x64']],
  ['dataset == "churn-2024-03" and trained_on == "cpu"', ['logreg-baseline', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10', 'mlp-2x64']],
  ['metadata.experimentName.endswith("64")', ['mlp-2x64']],
  ['experimentName.startswith("xgb") and not experimentName.endswith("10")', ['xgb-depth4', 'xgb-depth6', 'xgb-depth8']],
  ['env.user == "ada" and env.pythonVersion.startswith("3.11")', ['logreg-baseline', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10', 'mlp-2x64']],
  ['tag("best")', ['xgb-depth8']],
  ['tag("sweep") and accuracy > 0.86 and model_type == "xgboost"', ['xgb-depth6', 'xgb-depth8', 'xgb-depth10']],
];

/** [filter, the keys in the order they first appear over the branches, queries sent]. */
const OR_CASES = [
  ['tag("best") or model_type == "mlp"', ['xgb-depth8', 'mlp-2x64'], 2],
  ['model_type == "mlp" or accuracy > 0.86', ['mlp-2x64', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10'], 2],
  ['accuracy > 0.86 or tag("sweep")', ['xgb-depth6', 'xgb-depth8', 'xgb-depth10', 'xgb-depth4'], 2],
  ['(model_type == "mlp" || max_depth == 4) && (accuracy > 0.83 || val_loss < 0.34)', ['mlp-2x64', 'xgb-depth4'], 4],
  // not (a and b) = not a or not b: logreg and mlp from the first branch, then xgb-depth4 from the second.
  ['not (model_type == "xgboost" and accuracy > 0.85)', ['logreg-baseline', 'mlp-2x64', 'xgb-depth4'], 2],
];

describe('comet-query-project: filter', function () {
  const ctx = useNodeTest();
  const paths = () => ctx.server.requests.map((r) => r.path);
  const queries = () => ctx.server.requests.filter((r) => r.path === 'project/query');

  /** The predicates the SDK would send for `filter`, with churn's columns as the sample server gives them (asked after the test's checks). */
  async function sdkQueries(filter) {
    const answer = await fetch(`${ctx.server.restRoot}project/column-names?projectId=${churn}`, { headers: { Authorization: SAMPLE_KEY } });
    return compileFilter(parseFilter(filter, t), (await answer.json()).columns, t);
  }

  describe('every source and operator: the SDK\'s predicates, answered by the sample server', function () {
    for (const [filter, names] of CASES) {
      it(`${filter}  →  ${names.join(', ')}`, async function () {
        const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
        const out = await succeed(loaded, { projectId: churn, filter });
        assert.deepEqual(out.payload.experimentKeys, names.map(key));
        assert.deepEqual(paths(), ['project/column-names', 'project/query'], 'the columns, then one query');
        const [sent] = queries();
        assert.equal(await loaded.status.until((s) => s.fill === 'green').then((s) => s.text), `${names.length} ${names.length === 1 ? 'key' : 'keys'}`);
        assert.deepEqual(sent.body, { projectId: churn, predicates: (await sdkQueries(filter))[0] });
      });
    }
  });

  describe('or: one query per branch, the keys merged in the order they first appear', function () {
    for (const [filter, names, count] of OR_CASES) {
      it(`${filter}  →  ${count} queries, ${names.join(', ')}`, async function () {
        const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
        const out = await succeed(loaded, { projectName: 'churn', workspace: 'ml-team', filter });
        assert.deepEqual(out.payload.experimentKeys, names.map(key));
        assert.equal(queries().length, count, `requests: ${paths().join(', ')}`);
        assert.equal(paths().filter((p) => p === 'project/column-names').length, 1);
        const sent = queries();
        const shown = await loaded.status.until((s) => s.fill === 'green');
        assert.equal(shown.text, `${names.length} ${names.length === 1 ? 'key' : 'keys'} (${count} queries)`);
        for (const r of sent) assert.deepEqual(Object.keys(r.body).sort(), ['predicates', 'projectName', 'workspaceName']);
        // Sent together, they may arrive in any order.
        const sorted = (list) => list.map((p) => JSON.stringify(p)).sort();
        assert.deepEqual(sorted(sent.map((r) => r.body.predicates)), sorted(await sdkQueries(filter)), 'each branch is the predicates the SDK would send for it');
      });
    }

    it('the union is what the branches match each on their own', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
      const ask = async (filter) => (await succeed(loaded, { projectId: churn, filter })).payload.experimentKeys;
      const either = await ask('tag("overfit") or model_type == "logreg" or accuracy.between(0.83, 0.84)');
      const each = [...(await ask('tag("overfit")')), ...(await ask('model_type == "logreg"')), ...(await ask('accuracy.between(0.83, 0.84)'))];
      assert.deepEqual(either, [...new Set(each)]);
      assert.deepEqual(either, ['xgb-depth10', 'logreg-baseline', 'mlp-2x64'].map(key));
    });
  });

  describe("the project's columns: asked once a minute per config node, through the lookups' cache", function () {
    it('many msgs and filters: one project/column-names', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
      for (const filter of ['accuracy > 0.8', 'model_type == "mlp" or tag("best")', 'max_depth < 6']) await succeed(loaded, { projectId: churn, filter });
      assert.deepEqual(paths(), ['project/column-names', 'project/query', 'project/query', 'project/query', 'project/query']);
    });

    it('the editor lookup of the same columns shares that request', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
      await succeed(loaded, { projectName: 'churn', workspace: 'ml-team', filter: 'accuracy > 0.8' });
      const { helper } = require('../helpers/runtime');
      const res = await helper.request().get('/comet-config/cfg/lookup/columns').query({ projectName: 'churn', workspace: 'ml-team' }).expect(200);
      assert.ok(res.body.some((s) => s.value === 'accuracy'));
      assert.deepEqual(paths(), ['project/column-names', 'project/query']);
    });

    it("a msg's request for them is the node's own: its status tells of Comet's rate limit", async function () {
      ctx.server.fault('project/column-names', { status: 429, headers: { 'Retry-After': '1' } });
      const waited = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
      await succeed(waited, { projectId: churn, filter: 'accuracy > 0.8' });
      assert.ok(
        waited.status.seen.some((s) => /^waiting for Comet's rate limit until /.test(s.text)),
        JSON.stringify(waited.status.seen),
      );
    });

    it("a msg's request for them has the config's timeout, not the dialogs' longer one", async function () {
      // A config timeout of 1 s (no retries): a columns answer slower than that fails the msg, though a dialog's lookup would wait for it.
      ctx.server.fault('project/column-names', { delayMs: 2500 });
      const slow = await loadNode(ctx.server, { type: TYPE, operation: 'query' }, { timeout: 1, retries: 0 });
      const caught = await fail(slow, { projectId: churn, filter: 'accuracy > 0.8' });
      assert.equal(caught.error.code, 'COMET_TIMEOUT');
    });
  });

  describe('where the filter comes from', function () {
    it('the node field wins over msg.filter; archived goes to the columns and to each query', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query', filter: 'tag("diverged") or tag("deprecated")', filterType: 'str', archived: true, archivedType: 'bool' });
      const out = await succeed(loaded, { projectId: churn, filter: 'accuracy > 0' });
      assert.deepEqual(out.payload.experimentKeys, ids.archivedExperiments.slice().reverse());
      assert.equal(ctx.server.requests[0].query.archived, 'true');
      for (const r of queries()) assert.equal(r.body.archived, true);
    });
  });

  describe('mistakes: the msg fails before any query', function () {
    it('an unknown column: named, with the nearest; only the columns were asked', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
      const caught = await fail(loaded, { projectId: churn, filter: 'acuracy > 0.8 and model_type == "xgboost"' });
      assert.equal(caught.error.code, 'COMET_BAD_INPUT');
      assert.equal(caught.error.message, 'unknown column "acuracy": did you mean accuracy (metric)?');
      assert.deepEqual(paths(), ['project/column-names']);
    });

    it('a method on a column of the wrong type, named with its type', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
      const caught = await fail(loaded, { projectId: churn, filter: 'model_type.between(1, 2)' });
      assert.equal(caught.error.message, 'model_type (parameter) is text: between needs a number column');
      assert.equal(queries().length, 0);
    });

    for (const [msg, words] of [
      [{ projectId: churn, filter: 'accuracy > ' }, ['The filter cannot be read', 'Expected expression after >']],
      [{ projectId: churn, filter: '   ' }, ['The filter is empty']],
      [{ projectId: churn, filter: 'accuracy.between(0.8)' }, []],
      [{ projectId: churn, filter: 'accuracy > 0.8', predicates: [] }, ['filter, predicates were all given', 'only one of them']],
      [{ projectId: churn }, ['project/query needs filter, or predicates']],
      [{ projectId: churn, filter: 42 }, []],
    ]) {
      it(`${JSON.stringify(msg)}: nothing sent`, async function () {
        const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'query' });
        const caught = await fail(loaded, msg);
        if (words.length) assertBadInput(ctx.server, caught, ...words);
        else if (typeof msg.filter === 'number') assert.deepEqual(paths().slice(1), []);
        else assert.deepEqual(queries(), []);
      });
    }
  });
});
