'use strict';
// project/query and project/column-names: the query builder's columns and the
// predicates over them. The predicates are really evaluated (sources, rule
// operators, AND/OR groups, `not`), so the query node is tested against
// answers that depend on what it sent, not against a canned list.

const { ApiError, json, flag, objectBody, project } = require('./common');

const METADATA_COLUMNS = {
  experimentName: 'string', experimentKey: 'string', optimizationId: 'string', fileName: 'string', filePath: 'string',
  startTimeMillis: 'datetime', endTimeMillis: 'datetime', durationMillis: 'timenumber',
};
const ENV_COLUMNS = ['hostname', 'os', 'osType', 'pythonVersion', 'user'];
const NUMERIC_TYPES = new Set(['double', 'integer', 'datetime', 'timenumber', 'number']);
const SOURCES = new Set(['metrics', 'params', 'log_other', 'metadata', 'tag', 'env_details']);
const TEXT_OPERATORS = new Set(['contains', 'not_contains', 'begins_with', 'not_begins_with', 'ends_with', 'not_ends_with']);
const OPERATORS = new Set(['equal', 'not_equal', 'less', 'less_or_equal', 'greater', 'greater_or_equal', 'between', 'not_between',
  ...TEXT_OPERATORS, 'is_null', 'is_not_null', 'is_empty', 'is_not_empty']);

function lookupValue(ctx, exp, source, field) {
  switch (source) {
    case 'metrics': {
      const s = ctx.data.getSeries(exp, field);
      return s && s.values.length ? String(s.values[s.values.length - 1]) : undefined;
    }
    case 'params': return exp.params[field];
    case 'log_other': return exp.others[field];
    case 'metadata': return exp[field] === null || exp[field] === undefined ? undefined : String(exp[field]);
    case 'env_details': return exp.systemDetails[field] === undefined ? undefined : String(exp.systemDetails[field]);
    default: return undefined;
  }
}

/** The text operators: case-insensitive, as Comet's are; not_* is the opposite of its operator. */
function compareText(op, actual, expected) {
  const a = String(actual).toLowerCase();
  const e = String(expected).toLowerCase();
  const positive = op.replace(/^not_/, '');
  const holds = positive === 'contains' ? a.includes(e) : positive === 'begins_with' ? a.startsWith(e) : a.endsWith(e);
  return positive === op ? holds : !holds;
}

/** between / not_between: the value is [low, high], two numbers as text (as the SDK sends them), both ends included. */
function compareBetween(op, actual, range) {
  if (!Array.isArray(range) || range.length !== 2) throw new ApiError(400, `${op} needs a value of two numbers [low, high]`);
  const [low, high] = range.map(Number);
  const a = Number(actual);
  if ([low, high, a].some(Number.isNaN)) return false;
  const inside = a >= low && a <= high;
  return op === 'between' ? inside : !inside;
}

function compare(op, actual, expected, numeric) {
  if (actual === undefined) return op === 'is_null' || op === 'is_empty';
  if (op === 'is_null') return false;
  if (op === 'is_not_null') return true;
  if (op === 'is_empty') return actual === '';
  if (op === 'is_not_empty') return actual !== '';
  if (TEXT_OPERATORS.has(op)) return compareText(op, actual, expected);
  if (op === 'between' || op === 'not_between') return compareBetween(op, actual, expected);
  let a;
  let e;
  if (numeric) {
    a = Number(actual);
    e = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(e)) return false;
  } else {
    a = String(actual);
    e = String(expected);
  }
  switch (op) {
    case 'equal': return a === e;
    case 'not_equal': return a !== e;
    case 'less': return a < e;
    case 'less_or_equal': return a <= e;
    case 'greater': return a > e;
    default: return a >= e; // greater_or_equal
  }
}

/** Tags are a list, not one value: a rule on them asks whether the list holds (or is) something. */
function evalTagRule(tags, op, value) {
  const v = String(value);
  switch (op) {
    case 'equal': return tags.includes(v);
    case 'not_equal': return !tags.includes(v);
    case 'contains': return tags.some((t) => t.includes(v));
    case 'not_contains': return !tags.some((t) => t.includes(v));
    case 'is_empty': case 'is_null': return tags.length === 0;
    case 'is_not_empty': case 'is_not_null': return tags.length > 0;
    default: throw new ApiError(400, `Operator ${op} is not supported on tags`);
  }
}

function evalRule(ctx, exp, source, rule) {
  const op = rule.operator;
  if (!OPERATORS.has(op)) throw new ApiError(400, `Unknown operator in predicate: ${op}`);
  if (source === 'tag') return evalTagRule(exp.tags, op, rule.value);
  const field = rule.field || rule.id;
  if (typeof field !== 'string' || !field) throw new ApiError(400, 'Every predicate rule needs a field');
  const numeric = NUMERIC_TYPES.has(rule.type) || (rule.type === undefined && typeof rule.value === 'number');
  return compare(op, lookupValue(ctx, exp, source, field), rule.value, numeric);
}

function evalGroup(ctx, exp, source, group) {
  if (!group || typeof group !== 'object' || !Array.isArray(group.rules)) throw new ApiError(400, 'Every predicate needs query.rules (an array)');
  const condition = String(group.condition || 'AND').toUpperCase();
  if (condition !== 'AND' && condition !== 'OR') throw new ApiError(400, `Unknown condition in predicate: ${group.condition}`);
  const results = group.rules.map((r) => (Array.isArray(r && r.rules) ? evalGroup(ctx, exp, r.source || source, r) : evalRule(ctx, exp, (r && r.source) || source, r || {})));
  let ok = condition === 'AND' ? results.every(Boolean) : results.length === 0 || results.some(Boolean);
  if (group.not) ok = !ok;
  return ok;
}

function parsePredicates(predicates) {
  let p = predicates;
  if (p === undefined || p === null) return [];
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p);
    } catch {
      throw new ApiError(400, 'predicates is not valid JSON');
    }
  }
  if (!Array.isArray(p)) throw new ApiError(400, 'predicates must be an array');
  for (const pred of p) {
    if (!pred || typeof pred !== 'object') throw new ApiError(400, 'Every predicate must be an object');
    if (!SOURCES.has(pred.source)) throw new ApiError(400, `Unknown predicate source: ${pred.source}`);
  }
  return p;
}

/** The columns of the project's experiments: their metrics, params and others, then the fixed ones. */
function columns(ctx, exps) {
  const out = [];
  const add = (name, type, source) => out.push({ name, id: `${name}--${source}`, type, source });
  const kind = (values) => (values.every((v) => v !== '' && !Number.isNaN(Number(v))) ? 'double' : 'string');
  const collect = (get) => {
    const m = new Map();
    for (const e of exps) for (const [k, v] of Object.entries(get(e))) m.set(k, (m.get(k) || []).concat(v));
    return m;
  };
  for (const name of [...new Set(exps.flatMap((e) => ctx.data.metricNames(e)))].sort()) add(name, 'double', 'metrics');
  for (const [name, values] of [...collect((e) => e.params)].sort()) add(name, kind(values), 'params');
  for (const [name, values] of [...collect((e) => e.others)].sort()) add(name, kind(values), 'log_other');
  for (const [name, type] of Object.entries(METADATA_COLUMNS)) add(name, type, 'metadata');
  add('tags', 'string', 'tag');
  for (const name of ENV_COLUMNS) add(name, 'string', 'env_details');
  return out;
}

const routes = {
  'GET project/column-names': (ctx) => {
    const p = project(ctx);
    return json({ columns: columns(ctx, ctx.data.projectExperiments(p.projectId, flag(ctx.query.archived))) });
  },

  'POST project/query': (ctx) => {
    const body = objectBody(ctx);
    const p = project(ctx, body);
    const predicates = parsePredicates(body.predicates);
    const exps = ctx.data.projectExperiments(p.projectId, flag(body.archived));
    const keys = exps
      .filter((e) => predicates.every((pred) => evalGroup(ctx, e, pred.source, pred.query)))
      .map((e) => e.experimentKey);
    return json({ experimentKeys: keys, experimentsInProject: exps.length });
  },
};

module.exports = { routes };
