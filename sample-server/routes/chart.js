'use strict';
// experiments/multi-metric-chart: several metrics of several experiments,
// sampled down as Comet does (500 points, or at most 15,000 with fetchFull),
// optionally only at the steps every metric has. Benchmark-sized answers
// (setChartSize) are streamed one experiment at a time, not held whole.

const { ApiError, JSON_TYPE, json, flag, objectBody } = require('./common');

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
    // NaN and Infinity as text: JSON has no number for them.
    values: indexes.map((i) => (Number.isFinite(series.values[i]) ? series.values[i] : String(series.values[i]))),
    steps: indexes.map((i) => series.steps[i]),
    timestamps,
    durations: timestamps.map((t, i) => (i === 0 ? 0 : t - timestamps[i - 1])),
  };
}

/** The steps present in every one of the series. */
function commonSteps(present) {
  const keep = new Set(present[0][1].steps);
  for (const [, s] of present.slice(1)) {
    const steps = new Set(s.steps);
    for (const st of keep) if (!steps.has(st)) keep.delete(st);
  }
  return keep;
}

function chartExperiment(ctx, exp, metrics, params, independent, max) {
  const present = metrics.map((m) => [m, ctx.data.getSeries(exp, m)]).filter(([, s]) => s && s.steps.length);
  if (!present.length) return null;
  let keep = null;
  if (!independent && metrics.length > 1) {
    if (present.length < metrics.length) return null; // correlated: every metric must have values
    keep = commonSteps(present);
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

/** The answer written as it is built, one experiment at a time, so it is never held whole. */
function streamedChart(exps, build) {
  return {
    status: 200,
    headers: { 'Content-Type': JSON_TYPE },
    stream: {
      *chunks() {
        let first = true;
        yield Buffer.from('{"experiments":{');
        for (const e of exps) {
          const c = build(e);
          if (!c) continue;
          yield Buffer.from(`${first ? '' : ','}${JSON.stringify(e.experimentKey)}:${JSON.stringify(c)}`);
          first = false;
        }
        yield Buffer.from(`},"empty":${first}}`);
      },
    },
  };
}

const routes = {
  'POST experiments/multi-metric-chart': (ctx) => {
    const body = objectBody(ctx);
    const keys = arrayOfStrings(body.targetedExperiments, 'targetedExperiments');
    const metrics = arrayOfStrings(body.metrics, 'metrics');
    const params = arrayOfStrings(body.params, 'params');
    const independent = body.independentMetrics === undefined ? true : flag(body.independentMetrics);
    const max = flag(body.fetchFull) ? FULL_POINTS : SAMPLED_POINTS;
    const exps = [...new Set(keys)].map((k) => ctx.data.experiments[k]).filter(Boolean);
    const build = (e) => chartExperiment(ctx, e, metrics, params, independent, max);
    // Benchmark experiments (setChartSize) make answers of hundreds of MB: stream those.
    const lazy = metrics.length > 0 && exps.some((e) => e.lazySeries);
    if (lazy) return streamedChart(exps, build);
    const experiments = {};
    for (const e of exps) {
      const c = build(e);
      if (c) experiments[e.experimentKey] = c;
    }
    return json(Object.keys(experiments).length ? { experiments, empty: false } : { experiments: {}, empty: true });
  },
};

module.exports = { routes };
