'use strict';
// comet-get-metrics' `shape` option: `series` gives the metric and chart
// answers as points { series, x, y } that a chart node plots as they are;
// `comet` (the default) gives Comet's answer untouched, and summary ignores it.
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { loadNode, succeed, fail, onlyRequest, assertBadInput } = require('./harness');

const TYPE = 'comet-get-metrics';
const e = ids.experiments;
const key = e['xgb-depth8'];

describe('comet-get-metrics: shape', function () {
  const ctx = useSampleServer();
  useNodeRed();

  it('metric, shape series: a point per value, series the metric name, x the step, y a Number; status in points', async function () {
    const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'metric', shape: 'series', shapeType: 'str' });
    const out = await succeed(loaded, { experimentKey: key, metricName: 'loss' });
    const series = ctx.server.data.experiments[key].metrics.loss;
    assert.equal(out.payload.length, 150);
    assert.deepEqual(out.payload[0], { series: 'loss', x: series.steps[0], y: series.values[0] });
    assert.deepEqual(out.payload.map((p) => p.y), series.values);
    assert.deepEqual(onlyRequest(ctx.server).query, { experimentKey: key, metricName: 'loss' });
    assert.deepEqual(await loaded.status.until((s) => s.fill === 'green'), { fill: 'green', shape: 'dot', text: '150 points' });
  });

  it('chart, shape series: a series per experiment and metric, "<key>: <metric>", or "<name>: <metric>" with msg.experimentNames', async function () {
    const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'chart', shape: 'series', shapeType: 'str' });
    const keys = [key, e['xgb-depth4']];
    const out = await succeed(loaded, { experimentKeys: keys, metrics: ['loss', 'accuracy'] });
    assert.equal(out.payload.length, 2 * 2 * 150);
    assert.deepEqual([...new Set(out.payload.map((p) => p.series))], [`${key}: loss`, `${key}: accuracy`, `${e['xgb-depth4']}: loss`, `${e['xgb-depth4']}: accuracy`]);
    const accuracy = ctx.server.data.experiments[key].metrics.accuracy;
    assert.deepEqual(
      out.payload.filter((p) => p.series === `${key}: accuracy`).map((p) => [p.x, p.y]),
      accuracy.steps.map((step, i) => [step, accuracy.values[i]]),
    );
    const named = await succeed(loaded, { experimentKeys: keys, metrics: 'loss', experimentNames: { [key]: 'xgb-depth8' } });
    assert.deepEqual([...new Set(named.payload.map((p) => p.series))], ['xgb-depth8: loss', `${e['xgb-depth4']}: loss`]);
  });

  it('chart, shape new-points: the history once (replace), then only new points (append), a chart fed so holds each point of every run once, with no gap', async function () {
    const { server } = ctx;
    const { training } = server.data;
    const runs = ['live-a', 'live-b', 'live-c'].map((name, i) => training.start('ml-team', 'sandbox', name, { curve: ['healthy', 'stalls', 'diverges'][i] }));
    training.step(7);
    const loaded = await loadNode(server, { type: TYPE, operation: 'chart', shape: 'new-points', shapeType: 'str', metrics: 'loss', metricsType: 'str', fetchFull: true, fetchFullType: 'bool' });
    // What a chart node does with them (FlowFuse Dashboard's ui-chart: replace, append; a msg without payload ignored).
    let chart = [];
    const actions = [];
    let keys = runs.slice(0, 2);
    for (let i = 0; i < 25; i++) {
      if (i === 10) keys = [...keys, runs[2]]; // a run joins the chart
      const out = await succeed(loaded, { experimentKeys: keys });
      actions.push(out.payload === undefined ? 'none' : `${out.action} ${out.payload.length}`);
      if (out.payload !== undefined) chart = out.action === 'replace' ? [...out.payload] : [...chart, ...out.payload];
      training.step(i % 4); // 0 to 3 steps between two msgs: some msgs find nothing new
    }
    assert.equal(actions[0], 'replace 14', 'the history of the first two runs');
    assert.ok(actions.slice(1).every((a) => a === 'none' || a.startsWith('append ')), actions.join(', '));
    assert.ok(actions.includes('none'), 'a msg with nothing new has no payload');
    assert.equal(await loaded.status.until((s) => s.fill === 'green' && /new points?$/.test(s.text)).then(() => 'ok'), 'ok');

    const asked = { targetedExperiments: runs, metrics: ['loss'], fetchFull: true };
    const res = await fetch(`${server.restRoot}experiments/multi-metric-chart`, { method: 'POST', body: JSON.stringify(asked), headers: { Authorization: server.apiKey, 'Content-Type': 'application/json' } });
    const whole = Object.values((await res.json()).experiments).flatMap((entry) => entry.metrics[0].steps.map((x, i) => ({ series: `${entry.experimentKey}: loss`, x, y: entry.metrics[0].values[i] })));
    const text = (points) => points.map((p) => `${p.series} ${p.x} ${p.y}`).sort();
    assert.equal(new Set(text(chart)).size, chart.length, 'no point twice');
    assert.deepEqual(text(chart), text(whole), "every point of every run, as Comet's whole series has them");
  });

  it('a value that is not a number is left out', async function () {
    const series = ctx.server.data.experiments[key].metrics.loss;
    const kept = series.values[3];
    series.values[3] = Number.NaN;
    try {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'metric' });
      const out = await succeed(loaded, { experimentKey: key, metricName: 'loss', shape: 'series' });
      assert.equal(out.payload.length, 149);
      assert.ok(!out.payload.some((p) => p.x === series.steps[3]));
    } finally {
      series.values[3] = kept;
    }
  });

  it("comet: Comet's answer as it is, the node field winning over msg.shape", async function () {
    const metric = await loadNode(ctx.server, { type: TYPE, operation: 'metric', shape: 'comet', shapeType: 'str' });
    const out = await succeed(metric, { experimentKey: key, metricName: 'loss', shape: 'series' });
    assert.equal(out.payload.metrics.length, 150, 'the node field wins over msg.shape');
  });

  it('summary ignores msg.shape', async function () {
    const summary = await loadNode(ctx.server, { type: TYPE, operation: 'summary' });
    const out = await succeed(summary, { experimentKey: key, shape: 'series' });
    assert.deepEqual(out.payload.values.map((v) => v.name), ['loss', 'accuracy', 'val_loss']);
  });

  it('a shape that is neither fails the msg before any request', async function () {
    const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'chart' });
    assertBadInput(ctx.server, await fail(loaded, { experimentKeys: [key], metrics: ['loss'], shape: 'points' }), 'shape must be one of comet, series');
  });
});
