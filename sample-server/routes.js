'use strict';
// The REST API v2 read endpoints of the sample server. Each handler gets a
// context { method, path, query, body, user, data, restRoot, storageUrl, signal }
// and returns a result { status, headers, body } (body: object -> JSON, string,
// Buffer) or { status, headers, stream: { length?, chunks() } } for large answers.
// Errors are thrown as ApiError and rendered as Comet's JSON error body.

const { buildZip } = require('./zip');
const { bigModelZip } = require('./bigzip');
const { compareSemver, semverParts } = require('./data');

class ApiError extends Error {
  constructor(status, msg, sdkErrorCode = 0) {
    super(msg);
    this.status = status;
    this.sdkErrorCode = sdkErrorCode;
  }
}

const JSON_TYPE = 'application/json';
const OCTET = 'application/octet-stream';

function cometErrorBody(status, msg, sdkErrorCode = 0) {
  return { msg, code: status, data: null, sdk_error_code: sdkErrorCode };
}

function json(body, status = 200) {
  return { status, headers: { 'Content-Type': JSON_TYPE }, body };
}

function raw(buffer, filename) {
  const headers = { 'Content-Type': OCTET };
  if (filename) headers['Content-Disposition'] = `attachment; filename="${filename.replace(/["\\]/g, '_')}"`;
  return { status: 200, headers, body: buffer };
}

function need(ctx, name, sdkErrorCode = 0) {
  const v = ctx.query[name];
  if (v === undefined || v === '') throw new ApiError(400, `Missing required query parameter: ${name}`, sdkErrorCode);
  return v;
}

function flag(v) {
  return v === true || v === 'true' || v === '1';
}

// ---------------------------------------------------------------------------
// lookups that throw Comet-like errors

function workspace(ctx, name = 'workspaceName') {
  const ws = need(ctx, name);
  if (!ctx.data.workspaces.includes(ws)) throw new ApiError(400, `Team with name ${ws} does not exist`, 90219);
  return ws;
}

function project(ctx, src = ctx.query) {
  let p = null;
  if (src.projectId) {
    p = ctx.data.findProject({ projectId: src.projectId });
  } else if (src.projectName && src.workspaceName) {
    if (!ctx.data.workspaces.includes(src.workspaceName)) throw new ApiError(400, `Team with name ${src.workspaceName} does not exist`, 90219);
    p = ctx.data.findProject({ projectName: src.projectName, workspaceName: src.workspaceName });
  } else {
    throw new ApiError(400, 'Missing required parameter: projectId, or projectName and workspaceName');
  }
  if (!p) throw new ApiError(404, 'Project not found');
  return p;
}

function experiment(ctx) {
  const key = need(ctx, 'experimentKey', 90998);
  const exp = ctx.data.experiments[key];
  if (!exp) throw new ApiError(404, 'Experiment not found');
  return exp;
}

function registryModel(ctx) {
  const ws = workspace(ctx);
  const name = need(ctx, 'modelName');
  const model = ctx.data.findRegistryModel(ws, name);
  if (!model) throw new ApiError(400, `Registry model ${name} not found in workspace ${ws}`, 42008);
  return { ws, model };
}

// ---------------------------------------------------------------------------
// views: the data records shaped like Comet's answers

function projectView(ctx, p) {
  return {
    projectId: p.projectId,
    projectName: p.projectName,
    ownerUserName: p.ownerUserName,
    projectDescription: p.projectDescription,
    workspaceName: p.workspaceName,
    public: p.public, // real servers say `public`; the docs say `isPublic`
    numberOfExperiments: ctx.data.projectExperiments(p.projectId).length,
    lastUpdated: p.lastUpdated,
  };
}

function experimentItem(e) {
  return {
    experimentKey: e.experimentKey,
    experimentName: e.experimentName,
    optimizationId: e.optimizationId,
    durationMillis: e.durationMillis,
    startTimeMillis: e.startTimeMillis,
    endTimeMillis: e.endTimeMillis,
    filePath: e.filePath,
    fileName: e.fileName,
    archived: e.archived,
  };
}

function assetLink(ctx, experimentKey, assetId) {
  return `${ctx.restRoot}experiment/asset/get-asset?experimentKey=${experimentKey}&assetId=${encodeURIComponent(assetId)}`;
}

function assetView(ctx, exp, a) {
  return {
    fileName: a.fileName,
    fileSize: a.fileSize,
    runContext: a.runContext,
    step: a.step,
    link: assetLink(ctx, exp.experimentKey, a.assetId),
    createdAt: a.createdAt,
    dir: a.dir,
    canView: a.canView,
    audio: a.audio,
    histogram: a.histogram,
    image: a.image,
    type: a.type,
    metadata: a.metadata,
    assetId: a.assetId,
    remote: a.remote,
    tags: a.tags.slice(),
  };
}

function versionAssets(ctx, model, v) {
  if (v.files) {
    const link = `${ctx.restRoot}registry-model/item/download?workspaceName=${encodeURIComponent(ctx.query.workspaceName)}`
      + `&modelName=${encodeURIComponent(model.modelName)}&version=${encodeURIComponent(v.version)}`;
    return v.files.map((f) => ({
      fileName: f.path, fileSize: f.content.length, runContext: null, step: null, link,
      createdAt: v.createdAt, dir: 'model-element', canView: false, audio: false, histogram: false, image: false,
      type: 'model-element', metadata: null, assetId: `${v.registryModelItemId.slice(0, 24)}${String(v.files.indexOf(f)).padStart(8, '0')}`,
    }));
  }
  const exp = ctx.data.experiments[v.experimentKey];
  if (!exp) return [];
  return exp.assets.filter((a) => a.modelName === v.experimentModelName).map((a) => {
    const { remote, tags, ...view } = assetView(ctx, exp, a); // eslint-disable-line no-unused-vars
    return view;
  });
}

function versionView(ctx, model, v, withAssets) {
  const out = {
    registryModelItemId: v.registryModelItemId,
    experimentModel: { experimentModelId: v.experimentModelId, experimentModelName: v.experimentModelName, experimentKey: v.experimentKey },
    version: v.version,
    comment: v.comment,
    stages: v.stages.slice(),
    userName: v.userName,
    createdAt: v.createdAt,
    lastUpdated: v.lastUpdated,
  };
  if (v.status !== undefined) out.status = v.status;
  if (withAssets) out.assets = versionAssets(ctx, model, v);
  else out.metadata = versionAssets(ctx, model, v).map((a) => a.metadata).filter((m) => m !== null);
  return out;
}

function modelHead(m) {
  return {
    registryModelId: m.registryModelId,
    modelName: m.modelName,
    description: m.description,
    isPublic: m.isPublic,
    createdAt: m.createdAt,
    lastUpdated: m.lastUpdated,
    userName: m.userName,
  };
}

function sortedVersions(model) {
  return model.versions.slice().sort((a, b) => compareSemver(a.version, b.version));
}

function hasStage(v, stage) {
  const s = String(stage).toLowerCase();
  return v.stages.some((x) => x.toLowerCase() === s) || (typeof v.status === 'string' && v.status.toLowerCase() === s);
}

function summaryRow(name, series) {
  let iMax = 0;
  let iMin = 0;
  for (let i = 1; i < series.values.length; i++) {
    if (series.values[i] > series.values[iMax]) iMax = i;
    if (series.values[i] < series.values[iMin]) iMin = i;
  }
  const last = series.values.length - 1;
  return {
    name,
    valueMax: String(series.values[iMax]),
    valueMin: String(series.values[iMin]),
    valueCurrent: String(series.values[last]),
    timestampMax: series.timestamps[iMax],
    timestampMin: series.timestamps[iMin],
    timestampCurrent: series.timestamps[last],
    runContextMax: null,
    runContextMin: null,
    runContextCurrent: null,
    stepMax: series.steps[iMax],
    stepMin: series.steps[iMin],
    stepCurrent: series.steps[last],
  };
}

function constantRow(name, value, exp) {
  return {
    name,
    valueMax: value,
    valueMin: value,
    valueCurrent: value,
    timestampMax: exp.startTimeMillis + 10,
    timestampMin: exp.startTimeMillis + 10,
    timestampCurrent: exp.startTimeMillis + 10,
    runContextMax: null,
    runContextMin: null,
    runContextCurrent: null,
    stepMax: 0,
    stepMin: 0,
    stepCurrent: 0,
  };
}

// ---------------------------------------------------------------------------
// project/query

const METADATA_COLUMNS = {
  experimentName: 'string', experimentKey: 'string', optimizationId: 'string', fileName: 'string', filePath: 'string',
  startTimeMillis: 'datetime', endTimeMillis: 'datetime', durationMillis: 'timenumber',
};
const ENV_COLUMNS = ['hostname', 'os', 'osType', 'pythonVersion', 'user'];
const NUMERIC_TYPES = new Set(['double', 'integer', 'datetime', 'timenumber', 'number']);
const SOURCES = new Set(['metrics', 'params', 'log_other', 'metadata', 'tag', 'env_details']);
const OPERATORS = new Set(['equal', 'not_equal', 'less', 'less_or_equal', 'greater', 'greater_or_equal', 'contains', 'not_contains',
  'begins_with', 'ends_with', 'is_null', 'is_not_null', 'is_empty', 'is_not_empty']);

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

function compare(op, actual, expected, numeric) {
  if (actual === undefined) return op === 'is_null' || op === 'is_empty';
  if (op === 'is_null') return false;
  if (op === 'is_not_null') return true;
  if (op === 'is_empty') return actual === '';
  if (op === 'is_not_empty') return actual !== '';
  if (['contains', 'not_contains', 'begins_with', 'ends_with'].includes(op)) {
    const a = String(actual).toLowerCase();
    const e = String(expected).toLowerCase();
    if (op === 'contains') return a.includes(e);
    if (op === 'not_contains') return !a.includes(e);
    if (op === 'begins_with') return a.startsWith(e);
    return a.endsWith(e);
  }
  let a = actual;
  let e = expected;
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

function evalRule(ctx, exp, source, rule) {
  const op = rule.operator;
  if (!OPERATORS.has(op)) throw new ApiError(400, `Unknown operator in predicate: ${op}`);
  if (source === 'tag') {
    const tags = exp.tags;
    const v = String(rule.value);
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

// ---------------------------------------------------------------------------
// multi-metric-chart

const SAMPLED_POINTS = 500;
const FULL_POINTS = 15000;

function sampleIndexes(n, max) {
  if (n <= max) return null;
  const idx = new Array(max);
  for (let i = 0; i < max; i++) idx[i] = Math.round((i * (n - 1)) / (max - 1));
  return idx;
}

function chartMetric(series, name, keepSteps, max) {
  let indexes = [];
  for (let i = 0; i < series.steps.length; i++) if (!keepSteps || keepSteps.has(series.steps[i])) indexes.push(i);
  const sample = sampleIndexes(indexes.length, max);
  if (sample) indexes = sample.map((i) => indexes[i]);
  const timestamps = indexes.map((i) => series.timestamps[i]);
  return {
    metricName: name,
    values: indexes.map((i) => series.values[i]),
    steps: indexes.map((i) => series.steps[i]),
    timestamps,
    durations: timestamps.map((t, i) => (i === 0 ? 0 : t - timestamps[i - 1])),
  };
}

function chartExperiment(ctx, exp, metrics, params, independent, max) {
  const present = metrics.map((m) => [m, ctx.data.getSeries(exp, m)]).filter(([, s]) => s && s.steps.length);
  if (!present.length) return null;
  let keep = null;
  if (!independent && metrics.length > 1) {
    if (present.length < metrics.length) return null; // correlated: every metric must have values
    keep = new Set(present[0][1].steps);
    for (const [, s] of present.slice(1)) {
      const steps = new Set(s.steps);
      for (const st of keep) if (!steps.has(st)) keep.delete(st);
    }
  }
  const out = present.map(([m, s]) => chartMetric(s, m, keep, max));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const steps = out.every((m) => same(m.steps, out[0].steps))
    ? out[0].steps.slice()
    : [...new Set(out.flatMap((m) => m.steps))].sort((a, b) => a - b);
  const p = {};
  for (const name of params) if (exp.params[name] !== undefined) p[name] = exp.params[name];
  return { experimentKey: exp.experimentKey, steps, metrics: out, params: p };
}

function arrayOfStrings(v, name) {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ApiError(400, `${name} must be an array of strings`);
  return v;
}

// ---------------------------------------------------------------------------
// handlers

function registryZip(ctx, model, v) {
  const files = v.files || ctx.data.experiments[v.experimentKey].assets
    .filter((a) => a.modelName === v.experimentModelName)
    .map((a) => ({ path: a.fileName, content: a.content }));
  return buildZip(files.map((f) => ({ name: f.path, data: f.content })));
}

function pickVersion(model, { version, stage }) {
  if (version) {
    if (!semverParts(version)) throw new ApiError(400, `Invalid version string: ${version}`, 42001);
    const v = model.versions.find((x) => x.version === version);
    if (!v) throw new ApiError(404, `Version ${version} of registry model ${model.modelName} not found`);
    return v;
  }
  const candidates = sortedVersions(model).filter((v) => !stage || hasStage(v, stage));
  if (!candidates.length) {
    throw new ApiError(404, stage ? `No version of registry model ${model.modelName} has stage ${stage}` : `Registry model ${model.modelName} has no versions`);
  }
  return candidates[candidates.length - 1];
}

function panelJson(ctx, t) {
  return {
    templateId: t.templateId,
    owner: t.owner,
    teamId: t.teamId,
    templateName: t.templateName,
    queryBuilderId: t.queryBuilderId,
    code: JSON.parse(JSON.stringify(t.code)),
    rank: { templateId: t.templateId, voteCount: 0, userVoteType: 'NOVOTE' },
    scopeType: t.scopeType,
    revisionId: t.revisionId,
    createdAt: t.createdAt,
    thumbnailName: `template-thumbnail-${t.templateId}`,
    editable: t.owner === ctx.user.userName,
  };
}

const routes = {
  'GET workspaces': (ctx) => json({ workspaceNames: (ctx.user.workspaces || ctx.data.workspaces).slice() }),

  'GET account-details': (ctx) => json({ userName: ctx.user.userName, defaultWorkspaceName: ctx.user.defaultWorkspaceName }),

  'GET projects': (ctx) => {
    const ws = workspace(ctx);
    return json({ projects: ctx.data.projects.filter((p) => p.workspaceName === ws).map((p) => projectView(ctx, p)) });
  },

  'GET projects/page': (ctx) => {
    const ws = workspace(ctx);
    const q = ctx.query;
    const all = ctx.data.projects.filter((p) => p.workspaceName === ws);
    let rows = all.slice();
    if (q.owner) rows = rows.filter((p) => p.ownerUserName === q.owner);
    if (q.public !== undefined && q.public !== '') rows = rows.filter((p) => p.public === flag(q.public));
    if (flag(q.starterProject)) rows = [];
    if (q.search) {
      const s = q.search.toLowerCase();
      rows = rows.filter((p) => p.projectName.toLowerCase().includes(s) || p.projectDescription.toLowerCase().includes(s));
    }
    const sortKey = { projectName: 'projectName', name: 'projectName', created_at: 'createdAt', createdAt: 'createdAt', lastUpdated: 'lastUpdated' }[q.sort] || 'lastUpdated';
    const desc = (q.order || (q.sort ? 'asc' : 'desc')).toLowerCase() === 'desc';
    rows.sort((a, b) => (a[sortKey] < b[sortKey] ? -1 : a[sortKey] > b[sortKey] ? 1 : 0) * (desc ? -1 : 1));
    const offset = Math.max(0, parseInt(q.offset || '0', 10) || 0);
    const count = Math.max(0, parseInt(q.count || '10', 10) || 10);
    const filtered = rows.length;
    return json({
      rows: rows.slice(offset, offset + count).map((p) => ({
        projectId: p.projectId,
        userName: p.ownerUserName,
        projectName: p.projectName,
        projectDesc: p.projectDescription,
        generalProject: false,
        totalRowCount: String(all.length),
        filteredRowCount: String(filtered),
        experimentCount: ctx.data.projectExperiments(p.projectId).length,
        imagePath: `https://s3.amazonaws.com/comet.ml/${(parseInt(p.projectId.slice(0, 2), 16) % 8) + 1}.png`,
        isPublic: p.public,
        teamId: `${p.workspaceName}-default`,
        created_at: p.createdAt,
        lastUpdated: p.lastUpdated,
        lastUpdatedByUser: p.lastUpdated - 3600 * 1000,
        isStarterProject: false,
        teamName: p.workspaceName,
        isInProjectTeam: p.ownerUserName !== ctx.user.userName,
        owner: p.ownerUserName === ctx.user.userName,
        canEdit: true,
      })),
      filteredRowCount: filtered,
      totalRowCount: all.length,
    });
  },

  'GET project': (ctx) => json(projectView(ctx, project(ctx))),

  'GET project/notes': (ctx) => json({ notes: project(ctx).notes }),

  'GET project/get-project-share-links': (ctx) => json({ shareCodes: project(ctx).shareCodes.slice() }),

  'GET project/column-names': (ctx) => {
    const p = project(ctx);
    const exps = ctx.data.projectExperiments(p.projectId, flag(ctx.query.archived));
    const columns = [];
    const add = (name, type, source) => columns.push({ name, id: `${name}--${source}`, type, source });
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
    return json({ columns });
  },

  'POST project/query': (ctx) => {
    const body = ctx.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'Request body must be a JSON object');
    const p = project(ctx, body);
    const predicates = parsePredicates(body.predicates);
    const exps = ctx.data.projectExperiments(p.projectId, flag(body.archived));
    const keys = exps
      .filter((e) => predicates.every((pred) => evalGroup(ctx, e, pred.source, pred.query)))
      .map((e) => e.experimentKey);
    return json({ experimentKeys: keys, experimentsInProject: exps.length });
  },

  'GET experiments': (ctx) => {
    const p = project(ctx);
    return json({ experiments: ctx.data.projectExperiments(p.projectId, flag(ctx.query.archived)).map(experimentItem) });
  },

  'POST experiments/multi-metric-chart': (ctx) => {
    const body = ctx.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'Request body must be a JSON object');
    const keys = arrayOfStrings(body.targetedExperiments, 'targetedExperiments');
    const metrics = arrayOfStrings(body.metrics, 'metrics');
    const params = arrayOfStrings(body.params, 'params');
    const independent = body.independentMetrics === undefined ? true : flag(body.independentMetrics);
    const max = flag(body.fetchFull) ? FULL_POINTS : SAMPLED_POINTS;
    const exps = [...new Set(keys)].map((k) => ctx.data.experiments[k]).filter(Boolean);
    // Built lazily, one experiment at a time, so a benchmark-sized answer is streamed, not held whole.
    const built = new Map();
    const build = (e) => {
      if (!built.has(e.experimentKey)) built.set(e.experimentKey, chartExperiment(ctx, e, metrics, params, independent, max));
      return built.get(e.experimentKey);
    };
    // Benchmark experiments (setChartSize) make answers of hundreds of MB: stream those.
    const lazy = metrics.length > 0 && exps.some((e) => e.lazySeries);
    if (!lazy) {
      const experiments = {};
      for (const e of exps) {
        const c = build(e);
        if (c) experiments[e.experimentKey] = c;
      }
      return json(Object.keys(experiments).length ? { experiments, empty: false } : { experiments: {}, empty: true });
    }
    return {
      status: 200,
      headers: { 'Content-Type': JSON_TYPE },
      stream: {
        *chunks() {
          let first = true;
          yield Buffer.from('{"experiments":{');
          for (const e of exps) {
            const c = build(e);
            built.delete(e.experimentKey);
            if (!c) continue;
            yield Buffer.from(`${first ? '' : ','}${JSON.stringify(e.experimentKey)}:${JSON.stringify(c)}`);
            first = false;
          }
          yield Buffer.from(`},"empty":${first}}`);
        },
      },
    };
  },

  'GET experiment/metadata': (ctx) => {
    const e = experiment(ctx);
    return json({
      experimentKey: e.experimentKey,
      experimentName: e.experimentName,
      optimizationId: e.optimizationId,
      projectId: e.projectId,
      projectName: e.projectName,
      workspaceName: e.workspaceName,
      durationMillis: e.durationMillis,
      startTimeMillis: e.startTimeMillis,
      endTimeMillis: e.endTimeMillis,
      filePath: e.filePath,
      fileName: e.fileName,
      archived: e.archived,
    });
  },

  'GET experiment/git/metadata': (ctx) => {
    const g = experiment(ctx).git;
    return json(g ? { ...g } : { user: null, root: null, branch: null, parent: null, origin: null });
  },

  'GET experiment/git/patch': (ctx) => {
    const e = experiment(ctx);
    if (!e.patch) return json(cometErrorBody(200, 'no patch for experiment'));
    return raw(Buffer.from(e.patch));
  },

  'GET experiment/html': (ctx) => json({ html: experiment(ctx).html }),
  'GET experiment/code': (ctx) => json({ code: experiment(ctx).code }),
  'GET experiment/output': (ctx) => json({ output: experiment(ctx).output }),
  'GET experiment/graph': (ctx) => json({ graph: experiment(ctx).graph }),

  'GET experiment/cloud-details': (ctx) => {
    const e = experiment(ctx);
    const c = e.cloudDetails;
    return json(c ? { experimentKey: e.experimentKey, provider: c.provider, metadata: { ...c.metadata } } : { experimentKey: null, provider: null, metadata: null });
  },

  'GET experiment/metrics/get-metric': (ctx) => {
    const e = experiment(ctx);
    const name = need(ctx, 'metricName');
    const s = ctx.data.getSeries(e, name);
    if (!s) return json({ metrics: [] });
    return json({
      metrics: Array.from(s.values, (v, i) => ({
        metricName: name,
        metricValue: String(v),
        epoch: s.epochs[i],
        timestamp: s.timestamps[i],
        step: s.steps[i],
        runContext: null,
        offset: s.offsets[i],
      })),
    });
  },

  'GET experiment/metrics/summary': (ctx) => {
    const e = experiment(ctx);
    return json({ values: ctx.data.metricNames(e).map((n) => summaryRow(n, ctx.data.getSeries(e, n))) });
  },

  'GET experiment/parameters': (ctx) => {
    const e = experiment(ctx);
    return json({ values: Object.entries(e.params).map(([k, v]) => constantRow(k, v, e)) });
  },

  'GET experiment/log-other': (ctx) => {
    const e = experiment(ctx);
    return json({ values: Object.entries(e.others).map(([k, v]) => constantRow(k, v, e)) });
  },

  'GET experiment/tags': (ctx) => json({ tags: experiment(ctx).tags.slice() }),

  'GET experiment/system-details': (ctx) => json(JSON.parse(JSON.stringify(experiment(ctx).systemDetails))),

  'GET experiment/asset/list': (ctx) => {
    const e = experiment(ctx);
    const type = ctx.query.type || 'all';
    return json({ assets: e.assets.filter((a) => type === 'all' || a.type === type).map((a) => assetView(ctx, e, a)) });
  },

  'GET experiment/asset/details': (ctx) => {
    const e = experiment(ctx);
    const id = need(ctx, 'assetId');
    const a = e.assets.find((x) => x.assetId === id);
    if (!a) throw new ApiError(404, 'Asset not found');
    return json(assetView(ctx, e, a));
  },

  'GET experiment/asset/get-asset': (ctx) => {
    const e = experiment(ctx);
    const id = need(ctx, 'assetId');
    const a = e.assets.find((x) => x.assetId === id);
    if (!a) return json(cometErrorBody(200, 'no asset for experiment'));
    if (a.redirect) {
      const signature = require('crypto').createHash('sha256').update(`${e.experimentKey}/${a.assetId}`).digest('hex');
      const location = `${ctx.storageUrl}/comet-assets/${e.experimentKey}/${encodeURIComponent(a.assetId)}/${encodeURIComponent(a.fileName)}`
        + `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature=${signature}`;
      return { status: 302, headers: { Location: location }, body: Buffer.alloc(0) };
    }
    return raw(a.content, a.fileName.split('/').pop());
  },

  'GET experiment/model': (ctx) => {
    const e = experiment(ctx);
    return json({ models: e.models.map((m) => ({ experimentModelId: m.experimentModelId, experimentKey: e.experimentKey, modelName: m.modelName })) });
  },

  'GET experiment/model/asset/list': (ctx) => {
    const e = experiment(ctx);
    const name = need(ctx, 'modelName');
    if (!e.models.some((m) => m.modelName === name)) throw new ApiError(404, `Experiment model ${name} not found`);
    return json({
      assets: e.assets.filter((a) => a.modelName === name).map((a) => {
        const { remote, tags, ...view } = assetView(ctx, e, a); // eslint-disable-line no-unused-vars
        return view;
      }),
    });
  },

  'GET experiment/model/download': (ctx) => {
    const e = experiment(ctx);
    const name = need(ctx, 'modelName');
    if (!e.models.some((m) => m.modelName === name)) throw new ApiError(404, `Experiment model ${name} not found`);
    const zip = buildZip(e.assets.filter((a) => a.modelName === name).map((a) => ({ name: a.fileName, data: a.content })));
    return raw(zip, `${name}.zip`);
  },

  'GET registry-model': (ctx) => {
    const ws = workspace(ctx);
    return json({
      registryModels: (ctx.data.registryModels[ws] || []).map((m) => {
        const versions = sortedVersions(m);
        return { ...modelHead(m), latestVersion: versions.length ? versionView(ctx, m, versions[versions.length - 1], false) : null };
      }),
    });
  },

  'GET registry-model/count': (ctx) => json({ registryModelCount: (ctx.data.registryModels[workspace(ctx)] || []).length }),

  'GET registry-model/details': (ctx) => {
    const { model } = registryModel(ctx);
    return json({ ...modelHead(model), versions: sortedVersions(model).map((v) => versionView(ctx, model, v, true)) });
  },

  'GET registry-model/latest_version': (ctx) => {
    const { model } = registryModel(ctx);
    const q = ctx.query;
    const int = (name) => {
      if (q[name] === undefined || q[name] === '') return undefined;
      if (!/^\d+$/.test(q[name])) throw new ApiError(400, `${name} must be a non-negative integer`);
      return Number(q[name]);
    };
    const major = int('versionMajor');
    const minor = int('versionMinor');
    const matching = sortedVersions(model).filter((v) => {
      const s = semverParts(v.version);
      return (!q.stage || hasStage(v, q.stage)) && (major === undefined || s.major === major) && (minor === undefined || s.minor === minor);
    });
    if (!matching.length) throw new ApiError(404, `No version of registry model ${model.modelName} matches`);
    return json({ ...modelHead(model), versions: [versionView(ctx, model, matching[matching.length - 1], true)] });
  },

  'GET registry-model/notes': (ctx) => json({ notes: registryModel(ctx).model.notes }),

  'GET registry-model/item/download': async (ctx) => {
    const { model } = registryModel(ctx);
    const { version, stage } = ctx.query;
    if (version && stage) throw new ApiError(400, 'Give either version or stage, not both');
    const v = pickVersion(model, { version, stage });
    const filename = `${model.modelName}_${v.version}.zip`;
    if (ctx.data.downloadSize) {
      const zip = await bigModelZip(ctx.data.downloadSize, ctx.signal);
      return { status: 200, headers: { 'Content-Type': OCTET, 'Content-Disposition': `attachment; filename="${filename}"` }, stream: zip };
    }
    return raw(registryZip(ctx, model, v), filename);
  },

  'GET artifacts/version/download': (ctx) => {
    const ws = workspace(ctx, 'workspace');
    const q = ctx.query;
    if (!q.artifactName && !q.artifactId) throw new ApiError(400, 'Missing required query parameter: artifactName or artifactId');
    const art = ctx.data.artifacts.find((a) => a.workspaceName === ws && (q.artifactId ? a.artifactId === q.artifactId : a.artifactName === q.artifactName));
    if (!art) throw new ApiError(404, 'No artifact found', 624522);
    const wanted = q.versionId || q.version || q.alias || q.versionOrAlias;
    const sorted = art.versions.slice().sort((a, b) => compareSemver(a.version, b.version));
    const v = !wanted ? sorted[sorted.length - 1]
      : sorted.find((x) => (q.versionId && x.versionId === q.versionId)
        || (q.version && x.version === q.version)
        || (q.alias && x.aliases.includes(q.alias))
        || (q.versionOrAlias && (x.version === q.versionOrAlias || x.aliases.includes(q.versionOrAlias))));
    if (!v) throw new ApiError(404, 'Artifact version not found', 624523);
    return raw(buildZip(v.files.map((f) => ({ name: f.path, data: f.content }))), `${art.artifactName}-${v.version}.zip`);
  },

  'GET code-panel/get-all': (ctx) => {
    const ws = workspace(ctx, 'workspace');
    return json({
      codePanelTemplateRows: ctx.data.panels.filter((t) => t.workspaceName === ws).map((t) => ({
        templateId: t.templateId, owner: t.owner, teamId: t.teamId, templateName: t.templateName,
        queryBuilderId: t.queryBuilderId, scopeType: t.scopeType, revisionId: t.revisionId, createdAt: t.createdAt,
      })),
    });
  },

  'GET code-panel/download': (ctx) => {
    const { templateId, instanceId } = ctx.query;
    let id = templateId;
    if (!templateId) {
      if (!instanceId) throw new ApiError(400, 'Missing required query parameter: templateId or instanceId');
      const inst = ctx.data.panelInstances.find((i) => i.instanceId === instanceId);
      if (!inst) throw new ApiError(404, 'Panel instance not found');
      id = inst.templateId;
    }
    const t = ctx.data.panels.find((x) => x.templateId === id);
    if (!t) throw new ApiError(404, 'Panel template not found');
    return json(panelJson(ctx, t));
  },

  'GET dashboard-template/get-all': (ctx) => {
    const ws = workspace(ctx, 'workspace');
    return json({
      dashboardTemplates: ctx.data.dashboards.filter((d) => d.workspaceName === ws).map((d) => ({
        templateId: d.templateId, templateName: d.templateName, projectId: d.projectId, projectName: d.projectName, createdBy: d.createdBy,
      })),
    });
  },

  'GET dashboard-template/download': (ctx) => {
    const projectId = need(ctx, 'projectId');
    const templateId = need(ctx, 'templateId');
    const d = ctx.data.dashboards.find((x) => x.templateId === templateId && x.projectId === projectId);
    if (!d) throw new ApiError(404, 'Dashboard template not found');
    const table = '{"selection":[],"pageSize":25,"pageNumber":0,"sorting":[{"columnName":"end_server_timestamp","direction":"desc"}]}';
    return json({
      project_id: d.projectId,
      template_name: d.templateName,
      template_id: d.templateId,
      experimentQueryState: '{"filters":[],"activeSegment":{}}',
      dashboardChartState: '{"downsample_size":1000,"entire_row_charts":false,"smoothing":0.5}',
      reactGridTableState: table,
      v2: {
        reactGridTableState: table,
        toggles: {
          DASHBOARD_TOGGLE: { isVisible: true, toggleId: 'DASHBOARD_TOGGLE' },
          EXPERIMENT_TABLE_TOGGLE: { isVisible: true, toggleId: 'EXPERIMENT_TABLE_TOGGLE' },
        },
      },
      source: '',
      current: false,
      unsaved_view: d.templateId.startsWith('owner-unsaved-'),
      created_by: d.createdBy,
      project_default: false,
      pinnedExperiments: [],
      codePanelTemplateIds: d.codePanelTemplateIds.slice(),
      isAutoRefreshEnabled: true,
    });
  },

  'GET viz-instance/store/get': (ctx) => {
    const instanceId = need(ctx, 'instanceId');
    const projectId = need(ctx, 'projectId');
    const inst = ctx.data.panelInstances.find((i) => i.instanceId === instanceId && i.projectId === projectId);
    if (!inst) throw new ApiError(404, 'Panel instance not found');
    return json({ store: JSON.parse(JSON.stringify(inst.store)) });
  },

  'GET get-best-experiment': (ctx) => {
    const id = need(ctx, 'optimizationId');
    const metric = need(ctx, 'metricName');
    const goal = need(ctx, 'goal').toLowerCase();
    if (goal !== 'min' && goal !== 'max') throw new ApiError(400, 'goal must be min or max');
    const exps = Object.values(ctx.data.experiments).filter((e) => e.optimizationId === id && !e.archived);
    if (!exps.length) throw new ApiError(404, 'Optimization not found');
    let best = null;
    for (const e of exps) {
      const s = ctx.data.getSeries(e, metric);
      if (!s || !s.values.length) continue;
      const v = s.values.reduce((a, b) => (goal === 'min' ? Math.min(a, b) : Math.max(a, b)));
      if (!best || (goal === 'min' ? v < best.metricValue : v > best.metricValue)) best = { experimentKey: e.experimentKey, metricValue: v };
    }
    return json({ experimentKey: best ? best.experimentKey : null, metricValue: best ? best.metricValue : null, experimentCount: exps.length });
  },

  'GET webhooks/config': (ctx) => {
    const ws = workspace(ctx);
    const modelName = ctx.query.modelName || null;
    const conf = (ctx.data.webhooks[ws] || []).find((c) => c.modelName === modelName);
    return json({ workspaceName: ws, modelName, webhookUrls: conf ? JSON.parse(JSON.stringify(conf.webhookUrls)) : [] });
  },
};

const TEMPLATE_DOWNLOAD = /^template\/([^/]+)\/download$/;

function templateDownload(ctx, templateId) {
  const t = ctx.data.panels.find((x) => x.templateId === templateId);
  if (!t) throw new ApiError(404, 'Panel template not found');
  const j = panelJson(ctx, t);
  return raw(buildZip([
    { name: 'template.json', data: JSON.stringify(j, null, 2) },
    { name: t.code.type === 'py' ? 'code.py' : 'code.js', data: t.code.type === 'py' ? t.code.pyCode : t.code.code },
    { name: 'style.css', data: t.code.css },
    { name: 'index.html', data: t.code.html },
  ]), `${t.templateId}.zip`);
}

/** Finds the handler for a request: { handler } , { methods } (path known, other method) or null. */
function findRoute(method, path) {
  const m = method === 'HEAD' ? 'GET' : method;
  if (routes[`${m} ${path}`]) return { handler: routes[`${m} ${path}`] };
  const t = TEMPLATE_DOWNLOAD.exec(path);
  if (t) return m === 'GET' ? { handler: (ctx) => templateDownload(ctx, decodeURIComponent(t[1])) } : { methods: ['GET'] };
  const methods = ['GET', 'POST'].filter((x) => routes[`${x} ${path}`]);
  return methods.length ? { methods } : null;
}

module.exports = { findRoute, ApiError, cometErrorBody, routes };
