'use strict';
// comet-metric-watch's values are Comet's own summary's (experiment/metrics/summary):
// the latest value and step are valueCurrent and stepCurrent, the best of a
// min/max rule valueMin/stepMin (valueMax/stepMax), also once a run is longer
// than the 500 values a sampled chart answer holds. And the sample server's
// four runs that go wrong alert with the rule that fits each, the healthy one never.
const assert = require('node:assert/strict');
const { load } = require('../helpers/runtime');
const { useWatchTest, collect, pollNow } = require('../watch/harness');
const { metricWatchFlow, summary, train } = require('./harness');

describe('comet-metric-watch: values as Comet summarises them', function () {
  const ctx = useWatchTest();

  /** The sample server's answer to `path` (a POST of `body` when given). */
  async function ask(path, body) {
    const init = body ? { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {};
    const res = await fetch(ctx.server.restRoot + path, { ...init, headers: { ...init.headers, Authorization: ctx.server.apiKey } });
    return res.json();
  }

  /** The summary row of `metric` for run `key`. */
  async function summaryRow(key, metric) {
    const { values } = await ask(`experiment/metrics/summary?experimentKey=${key}`);
    return values.find((row) => row.name === metric);
  }

  it('the four runs that go wrong alert with their rule, the healthy run with none', async () => {
    const { server } = ctx;
    for (const curve of ['healthy', 'diverges', 'nan', 'plateau', 'stalls']) train(server, curve, curve);
    const rules = ['loss > 2', 'loss not finite', 'loss min no better for 10 steps', 'stalled 1 minutes'].join('\n');
    await load(metricWatchFlow(server, { rules }));
    const out = collect();
    await pollNow();
    for (let i = 0; i < 40; i++) {
      server.data.training.step(1, { stepMs: 10000 });
      await pollNow();
    }
    // Each at the step its rule became true (the stall at its last step); a run that diverges or goes NaN stops improving too.
    const at = Object.fromEntries(out.map((m) => [`${m.payload.experimentName}: ${m.payload.rule}`, m.payload.step]));
    assert.deepEqual(at, {
      'diverges: loss > 2': 32,
      'diverges: loss min no better for 10 steps': 30,
      'nan: loss not finite': 25,
      'nan: loss min no better for 10 steps': 34,
      'plateau: loss min no better for 10 steps': 22,
      'stalls: stalled 1 minutes': 15,
    });
    assert.equal(out.length, 6, 'each once');
  });

  it('a rule that stays true is sent once, also once the run is longer than a sampled answer (its samples move)', async () => {
    const { server } = ctx;
    train(server, 'diverges', 'diverges');
    train(server, 'nan', 'nan');
    await load(metricWatchFlow(server, { rules: 'loss > 2\nloss not finite' }));
    const out = collect();
    await pollNow();
    for (let steps = 0; steps < 1500; steps += 37) {
      server.data.training.step(37);
      await pollNow();
    }
    assert.deepEqual(summary(out).sort(), ['metric-alert diverges loss > 2', 'metric-alert nan loss not finite']);
  });

  it('value and step are valueCurrent and stepCurrent, the best valueMin and stepMin, before and after the run outgrows a sampled answer', async () => {
    const { server } = ctx;
    const key = train(server, 'long', 'plateau');
    await load(metricWatchFlow(server, { rules: 'loss min no better for 10 steps\nval_loss max no better for 5 steps\nloss > 0', emitInitial: true, sendResolved: true }));
    let out = collect();
    server.data.training.step(30);
    await pollNow();
    const check = async (msgs) => {
      for (const { payload } of msgs) {
        const row = await summaryRow(key, payload.metricName);
        assert.equal(payload.value, Number(row.valueCurrent), payload.rule);
        assert.equal(payload.step, row.stepCurrent, payload.rule);
        if (payload.rule.includes(' min ')) assert.deepEqual(payload.best, { value: Number(row.valueMin), step: row.stepMin }, payload.rule);
        if (payload.rule.includes(' max ')) assert.deepEqual(payload.best, { value: Number(row.valueMax), step: row.stepMax }, payload.rule);
      }
    };
    assert.equal(out.length, 3);
    await check(out);

    // 1,200 steps: a sampled answer (500 values) leaves the best of step 12 out; the watch kept it.
    server.data.training.step(1170);
    const chart = await ask('experiments/multi-metric-chart', { targetedExperiments: [key], metrics: ['loss'] });
    const sampled = chart.experiments[key].metrics[0];
    assert.equal(sampled.values.length, 500);
    assert.ok(!sampled.steps.includes(12), 'the best is not among the samples');
    const row = await summaryRow(key, 'loss');
    assert.equal(row.stepMin, 12);

    // The rules are false a moment (a better value, then back), to be sent again with the values of now.
    server.data.training.log(key, { loss: -1, val_loss: 99 });
    await pollNow();
    server.data.training.step(10);
    out = collect();
    await pollNow();
    assert.deepEqual(summary(out).sort(), ['metric-alert long loss > 0', 'metric-alert long loss min no better for 10 steps', 'metric-alert long val_loss max no better for 5 steps']);
    await check(out);
  });

  it("a run first seen longer than a sampled answer: its alert's best is the summary's, asked once, when the alert would go out", async () => {
    const { server } = ctx;
    const key = train(server, 'late-seen', 'plateau');
    server.data.training.step(1200);
    await load(metricWatchFlow(server, { rules: 'loss min no better for 10 steps', emitInitial: true }));
    const out = collect();
    await pollNow();
    assert.equal(out.length, 1);
    const row = await summaryRow(key, 'loss');
    assert.deepEqual(out[0].payload.best, { value: Number(row.valueMin), step: row.stepMin });
    assert.equal(row.stepMin, 12, 'a best no sample of 1,200 values holds');
    server.clearRequests();
    server.data.training.step(5);
    await pollNow();
    assert.deepEqual(server.requests.map((r) => r.path), ['experiments', 'experiments/multi-metric-chart'], 'the exact best kept: no summary again');
    assert.equal(out.length, 1);
  });

  it('a better value a sampled answer leaves out: the summary asked before the alert says so, and none goes out', async () => {
    const { server } = ctx;
    const key = train(server, 'hidden', 'manual');
    // 0.5 for the first 20 steps, then worse, but for step 1151 (0.1), which a sample of 1,220 values leaves out.
    for (let step = 1; step <= 1220; step++) server.data.training.log(key, { loss: step <= 20 ? 0.5 : step === 1151 ? 0.1 : 0.9 });
    const chart = await ask('experiments/multi-metric-chart', { targetedExperiments: [key], metrics: ['loss'] });
    assert.ok(!chart.experiments[key].metrics[0].steps.includes(1151), 'the best is not among the samples');
    await load(metricWatchFlow(server, { rules: 'loss min no better for 100 steps', emitInitial: true }));
    const out = collect();
    await pollNow();
    // The samples alone say no better since step 1 (1,219 steps); the summary says since step 1151 (69 steps).
    assert.deepEqual(out, []);
    assert.equal(server.requests.filter((r) => r.path === 'experiment/metrics/summary').length, 1);
    server.clearRequests();
    for (let step = 1221; step <= 1251; step++) server.data.training.log(key, { loss: 0.9 });
    await pollNow();
    assert.deepEqual(summary(out), ['metric-alert hidden loss min no better for 100 steps'], 'alerts at step 1251, 100 steps after the best Comet knows');
    assert.deepEqual(out[0].payload.best, { value: 0.1, step: 1151 });
    assert.deepEqual(server.requests.map((r) => r.path), ['experiments', 'experiments/multi-metric-chart', 'experiment/metrics/summary'], 'the alert confirmed by the summary');
    server.clearRequests();
    server.data.training.log(key, { loss: 0.9 });
    await pollNow();
    assert.deepEqual(server.requests.map((r) => r.path), ['experiments', 'experiments/multi-metric-chart'], 'an alert that goes on asks no summary');
  });
});
