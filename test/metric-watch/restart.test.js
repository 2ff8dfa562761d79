'use strict';
// comet-metric-watch across a restart of Node-RED, with its memory in a
// file-backed context store: an alert that held before is not sent again, one
// that began while Node-RED was down is sent, and its eventId is the one any
// other process would give it.
const assert = require('node:assert/strict');
const { useWatchTest, collect, pollNow } = require('../watch/harness');
const { useFileContextStore } = require('../watch/file-store');
const { metricWatchFlow, summary, train, logLoss } = require('./harness');

describe('comet-metric-watch: restart with a file context store', function () {
  const ctx = useWatchTest();
  const store = useFileContextStore();

  /** A restart, the first poll after it slow enough that its msgs are collected. */
  function restart(whileDown) {
    ctx.server.fault('experiments', { delayMs: 200 });
    return store.restart(whileDown);
  }

  it('sends nothing twice after a restart, and sends what began while it was down', async () => {
    const { server } = ctx;
    const a = train(server, 'a');
    const b = train(server, 'b');
    logLoss(server, a, 1);
    logLoss(server, b, 1);
    const rules = 'loss > 2\nloss min no better for 3 steps';
    await store.start(metricWatchFlow(server, { rules, store: 'file', sendResolved: true }), server);
    let out = collect();
    await pollNow();
    logLoss(server, a, 3);
    await pollNow();
    assert.deepEqual(summary(out), ['metric-alert a loss > 2']);
    const first = out[0].eventId;

    await restart(() => {
      logLoss(server, a, 4);
      logLoss(server, b, 5, 1.5, 1.2);
    });
    out = collect();
    await pollNow();
    assert.deepEqual(summary(out).sort(), ['metric-alert b loss min no better for 3 steps'], 'a still holds: not again; b stopped improving while down');
    await pollNow();
    assert.equal(out.length, 1);

    await restart(() => {
      logLoss(server, a, 1, 2.5);
    });
    out = collect();
    await pollNow();
    assert.deepEqual(
      summary(out),
      ['metric-resolved a loss > 2', 'metric-alert a loss > 2', 'metric-alert a loss min no better for 3 steps'],
      'false and true again while down: the old one resolved, a new one',
    );
    assert.notEqual(out[1].eventId, first);
    assert.equal(out[0].payload.step, 5);
  });
});
