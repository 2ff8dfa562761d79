'use strict';
// comet-metric-watch's rules, each kind on a run whose values the test logs:
// an alert once when the rule becomes true, nothing while it stays true, a
// resolution when asked for, and again an alert after it was false.
const assert = require('node:assert/strict');
const { helper, load } = require('../helpers/runtime');
const { useWatchTest, collect, pollNow } = require('../watch/harness');
const { metricWatchFlow, summary, train, logLoss } = require('./harness');

describe('comet-metric-watch: rules', function () {
  const ctx = useWatchTest();

  /**
   * Deploys a watch with `rule` on one manual run and goes through `script`:
   * each entry logs values (or moves the clock), polls and expects the events
   * that poll sends ('alert', 'resolved'). Returns every msg sent.
   */
  async function walk(rule, script, props = {}) {
    const { server } = ctx;
    const key = train(server, 'run');
    await load(metricWatchFlow(server, { rules: rule, sendResolved: true, ...props }));
    const out = collect();
    await pollNow();
    for (const [i, { act, expect }] of script.entries()) {
      const before = out.length;
      act(key);
      await pollNow();
      const got = out.slice(before).map((m) => m.payload.event.replace('metric-', ''));
      assert.deepEqual(got, expect, `step ${i} of the script: ${act}`);
    }
    return out;
  }

  const log = (...values) => (key) => logLoss(ctx.server, key, ...values);

  it('<metric> > <number>: alerts once as the latest value crosses, not again while above, resolves and alerts again', async () => {
    const out = await walk('loss > 2', [
      { act: log(1.0), expect: [] },
      { act: log(2.5), expect: ['alert'] },
      { act: log(3.0, 4.0), expect: [] },
      { act: log(2), expect: ['resolved'] },
      { act: log(1.5), expect: [] },
      { act: log(2.2), expect: ['alert'] },
    ]);
    assert.deepEqual(summary(out), ['metric-alert run loss > 2', 'metric-resolved run loss > 2', 'metric-alert run loss > 2']);
    const [first, resolved] = out;
    assert.equal(first.payload.value, 2.5);
    assert.equal(first.payload.step, 2);
    assert.equal(first.payload.metricName, 'loss');
    assert.equal(first.topic, `sandbox/${first.payload.experimentKey}`);
    assert.equal(first.experimentKey, first.payload.experimentKey);
    assert.deepEqual(
      Object.keys(first.payload).sort(),
      ['detectedAt', 'event', 'experimentKey', 'experimentName', 'metricName', 'projectId', 'projectName', 'rule', 'step', 'value', 'workspace'],
    );
    assert.equal(resolved.payload.value, 2);
    assert.equal(resolved.payload.step, 5);
    const ids = out.map((m) => m.eventId);
    assert.ok(ids.every((id) => typeof id === 'string' && id.length >= 16));
    assert.equal(new Set(ids).size, 3, 'each alert and resolution its own id');
  });

  it('<= and < and >= compare as written', async () => {
    await walk('loss <= 0.5', [
      { act: log(0.6), expect: [] },
      { act: log(0.5), expect: ['alert'] },
      { act: log(0.4), expect: [] },
      { act: log(0.51), expect: ['resolved'] },
    ]);
  });

  it('<metric> not finite: NaN (and Infinity) alert once, a number resolves, NaN again alerts again', async () => {
    const out = await walk('loss not finite', [
      { act: log(0.7), expect: [] },
      { act: log(Number.NaN), expect: ['alert'] },
      { act: log(Number.NaN), expect: [] },
      { act: log(0.7), expect: ['resolved'] },
      { act: log(Number.POSITIVE_INFINITY), expect: ['alert'] },
    ]);
    assert.equal(out[0].payload.value, 'NaN', 'the value as Comet gave it');
    assert.equal(out[0].payload.step, 2);
    assert.equal(out[2].payload.value, 'Infinity');
  });

  it('<metric> min no better for <N> steps: alerts N steps after the best, resolves on a better value, alerts again N steps after it', async () => {
    const out = await walk('loss min no better for 3 steps', [
      { act: log(1.0, 0.5, 0.6), expect: [] },
      { act: log(0.7), expect: [] },
      { act: log(0.5), expect: ['alert'] },
      { act: log(0.6), expect: [] },
      { act: log(0.4), expect: ['resolved'] },
      { act: log(0.45, 0.41), expect: [] },
      { act: log(0.9), expect: ['alert'] },
    ]);
    assert.deepEqual(out[0].payload.best, { value: 0.5, step: 2 }, 'the first step the best was reached at: an equal value later is no better');
    assert.equal(out[0].payload.step, 5);
    assert.deepEqual(out[2].payload.best, { value: 0.4, step: 7 });
  });

  it('<metric> max no better for <N> steps: the highest value counts', async () => {
    await walk('loss max no better for 2 steps', [
      { act: log(0.1, 0.3), expect: [] },
      { act: log(0.2, 0.2), expect: ['alert'] },
      { act: log(0.31), expect: ['resolved'] },
    ]);
  });

  it('stalled <M> minutes: alerts when no step was logged for M minutes of heartbeats, resolves with a new step, alerts again', async () => {
    const step = (count) => () => ctx.server.data.training.step(count, { stepMs: 10000 });
    const out = await walk('stalled 1 minutes', [
      { act: log(0.7), expect: [] },
      { act: step(5), expect: [] },
      { act: step(1), expect: ['alert'] },
      { act: step(3), expect: [] },
      { act: log(0.6), expect: ['resolved'] },
      { act: step(6), expect: ['alert'] },
    ]);
    assert.equal(out[0].payload.metricName, 'loss');
    assert.equal(out[0].payload.step, 1);
    assert.equal(typeof out[0].payload.since, 'number');
    assert.equal(out[2].payload.step, 2);
  });

  it('without sendResolved, sends alerts only', async () => {
    const out = await walk(
      'loss > 2',
      [
        { act: log(3), expect: ['alert'] },
        { act: log(1), expect: [] },
        { act: log(3), expect: ['alert'] },
      ],
      { sendResolved: false },
    );
    assert.notEqual(out[0].eventId, out[1].eventId);
  });

  it('a rule already true at the first poll: recorded, not sent; with emitInitial, sent', async () => {
    const { server } = ctx;
    const key = train(server, 'early');
    logLoss(server, key, 3);
    await load(metricWatchFlow(server, { rules: 'loss > 2' }));
    let out = collect();
    await pollNow();
    assert.deepEqual(out, []);
    logLoss(server, key, 4);
    await pollNow();
    assert.deepEqual(out, [], 'still the same occurrence');

    const other = train(server, 'late');
    logLoss(server, other, 5);
    await pollNow();
    assert.deepEqual(summary(out), ['metric-alert late loss > 2'], 'a run first seen after the first poll alerts');
    const lateId = out[0].eventId;

    // Another node (another id, so nothing remembered), sending what holds at its first poll.
    await helper.setFlows(metricWatchFlow(server, { id: 'w2', rules: 'loss > 2', emitInitial: true }), 'full', { cfg: { apiKey: server.apiKey } });
    out = collect();
    await pollNow('w2');
    assert.deepEqual(summary(out).sort(), ['metric-alert early loss > 2', 'metric-alert late loss > 2']);
    assert.equal(out.find((m) => m.payload.experimentName === 'late').eventId, lateId, 'the same occurrence, the same eventId, whichever node or process saw it');
  });

  it('several rules and runs: each (run, rule) on its own; a run that ends is no longer watched', async () => {
    const { server } = ctx;
    const a = train(server, 'a');
    const b = train(server, 'b');
    await load(metricWatchFlow(server, { rules: 'loss > 2\nloss not finite\n\nval_loss < 0' }));
    const out = collect();
    await pollNow();
    server.data.training.log(a, { loss: 3, val_loss: -1 });
    logLoss(server, b, Number.NaN);
    await pollNow();
    assert.deepEqual(summary(out).sort(), ['metric-alert a loss > 2', 'metric-alert a val_loss < 0', 'metric-alert b loss not finite']);
    server.data.runs.finish(a);
    logLoss(server, a, 1);
    server.clearRequests();
    await pollNow();
    assert.equal(out.length, 3);
    const chart = server.requests.find((r) => r.path === 'experiments/multi-metric-chart');
    assert.deepEqual(chart.body.targetedExperiments, [b]);
    assert.deepEqual(chart.body.metrics, ['loss', 'val_loss']);
  });

  it('experimentKeys: only those runs, running or not', async () => {
    const { server } = ctx;
    const a = train(server, 'a');
    const b = train(server, 'b');
    server.data.runs.finish(b);
    await load(metricWatchFlow(server, { rules: 'loss > 2', experimentKeys: `${b}` }));
    const out = collect();
    await pollNow();
    logLoss(server, a, 3);
    logLoss(server, b, 3);
    await pollNow();
    assert.deepEqual(summary(out), ['metric-alert b loss > 2']);
  });

  it('rules blank: nothing is asked until a msg brings msg.rules, which stay; a msg with a bad rule fails to the Catch node', async () => {
    const { server } = ctx;
    const key = train(server, 'run');
    await load(metricWatchFlow(server, { rules: '' }));
    const out = collect();
    await pollNow();
    assert.deepEqual(server.requests, [], 'no rules, no request');
    logLoss(server, key, 3);
    await pollNow('w', 10000, { rules: ['loss > 2', 'loss not finite'] });
    assert.deepEqual(summary(out), [], 'the first poll with rules records what holds');
    logLoss(server, key, Number.NaN);
    await pollNow();
    assert.deepEqual(summary(out), ['metric-alert run loss not finite'], 'the rules stay for the next polls');
    await assert.rejects(pollNow('w', 10000, { rules: 'loss >> 2' }), (err) => {
      assert.equal(err.code, 'COMET_BAD_INPUT');
      assert.match(err.message, /"loss >> 2" is not a rule/);
      return true;
    });
  });

  it("the node's own rules win over msg.rules; a bad rule in the node fails it at deploy, naming the rule, and asks nothing", async () => {
    const { server } = ctx;
    const key = train(server, 'run');
    await load(metricWatchFlow(server, { rules: 'loss > 2' }));
    const out = collect();
    await pollNow();
    logLoss(server, key, Number.NaN);
    await pollNow('w', 10000, { rules: 'loss not finite' });
    assert.deepEqual(out, []);

    server.clearRequests();
    await helper.setFlows(metricWatchFlow(server, { id: 'w3', rules: 'loss > 2\nval_loss above 3' }), 'full', { cfg: { apiKey: server.apiKey } });
    await assert.rejects(pollNow('w3'), /"val_loss above 3" is not a rule\. Write one a line/);
    assert.deepEqual(server.requests, []);
  });

  it('stalled alone watches every metric of the project: their names looked up once, then a poll is the list and the chart', async () => {
    const { server } = ctx;
    const key = train(server, 'run');
    server.data.training.log(key, { loss: 1, accuracy: 0.5 });
    await load(metricWatchFlow(server, { rules: 'stalled 1 minute' }));
    const out = collect();
    await pollNow();
    server.clearRequests();
    server.data.training.step(5, { stepMs: 10000 });
    server.data.training.log(key, { accuracy: 0.6 });
    server.data.training.step(5, { stepMs: 10000 });
    await pollNow();
    assert.deepEqual(out, [], 'accuracy was logged 50 s ago: not stalled');
    assert.deepEqual(server.requests.map((r) => r.path), ['experiments', 'experiments/multi-metric-chart']);
    assert.deepEqual(server.requests[1].body.metrics, ['accuracy', 'loss', 'val_loss']);
    server.data.training.step(2, { stepMs: 10000 });
    await pollNow();
    assert.deepEqual(summary(out), ['metric-alert run stalled 1 minute']);
    assert.equal(out[0].payload.metricName, 'accuracy');
  });
});
