'use strict';
// Metrics of one experiment (a series, the summary), the parameters and
// others (Comet answers those in the summary's row shape, with one constant
// value), and the optimizer's best experiment by a metric.

const { ApiError, json, need, experiment } = require('./common');

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

/** The best value of `metric` among the experiments, and whose it is (null when none logged it). */
function bestOf(ctx, exps, metric, goal) {
  let best = null;
  for (const e of exps) {
    const s = ctx.data.getSeries(e, metric);
    if (!s || !s.values.length) continue;
    const v = s.values.reduce((a, b) => (goal === 'min' ? Math.min(a, b) : Math.max(a, b)));
    if (!best || (goal === 'min' ? v < best.metricValue : v > best.metricValue)) best = { experimentKey: e.experimentKey, metricValue: v };
  }
  return best;
}

const routes = {
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

  'GET get-best-experiment': (ctx) => {
    const id = need(ctx, 'optimizationId');
    const metric = need(ctx, 'metricName');
    const goal = need(ctx, 'goal').toLowerCase();
    if (goal !== 'min' && goal !== 'max') throw new ApiError(400, 'goal must be min or max');
    const exps = Object.values(ctx.data.experiments).filter((e) => e.optimizationId === id && !e.archived);
    if (!exps.length) throw new ApiError(404, 'Optimization not found');
    const best = bestOf(ctx, exps, metric, goal);
    return json({ experimentKey: best ? best.experimentKey : null, metricValue: best ? best.metricValue : null, experimentCount: exps.length });
  },
};

module.exports = { routes };
