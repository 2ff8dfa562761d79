'use strict';
// comet-metric-watch in a real Node-RED process killed with SIGKILL, with
// Node-RED's localfilesystem store as settings.js documents it (a flush every
// 30 s), as test/watch/crash.test.js does for the other watches: killed before
// the store's first flush and right after an alert went out; a rule that
// became true while Node-RED was down is sent once after the restart, one
// that stayed true is not sent again, and every alert has its own eventId.
const assert = require('node:assert/strict');
const { until } = require('../helpers/wait');
const { useSampleServerPerTest } = require('../helpers/sample-server');
const { FILE_STORE, useCrashRig } = require('../watch/crash-rig');
const { train, logLoss } = require('./harness');

const KEY = 'cometMetricWatch';

describe('comet-metric-watch killed with SIGKILL (a real Node-RED process)', function () {
  this.timeout(240000);
  const ctx = useSampleServerPerTest();
  const rig = useCrashRig(ctx);

  const polls = () => ctx.server.requests.filter((r) => r.path === 'experiments/multi-metric-chart' && r.status !== undefined).length;
  async function twoPollsEnded() {
    const from = polls();
    await until(() => polls() >= from + 2, { timeout: 20000, message: 'two more polls' });
  }
  const summary = () => rig.received.map(({ msg }) => `${msg.payload.event} ${msg.payload.experimentName} ${msg.payload.rule} @${msg.payload.step}`);

  it('localfilesystem store, default settings: each alert once, none lost, across SIGKILLs before the first flush and right after a send', async () => {
    const { server } = ctx;
    const a = train(server, 'a');
    const b = train(server, 'b');
    logLoss(server, a, 1);
    logLoss(server, b, 1);
    await rig.start(FILE_STORE, 'comet-metric-watch', { projectName: 'sandbox', rules: 'loss > 2\nloss not finite', store: 'file' });
    await until(() => rig.memoryFile(KEY), { timeout: 20000, message: "the watch's file" });
    assert.equal(rig.contextFile(), undefined, 'the context store has not flushed yet');

    // Killed before the store's first flush; run a diverges while Node-RED is down.
    await rig.kill();
    logLoss(server, a, 3);
    await rig.restart();
    await rig.receivedCount(1);

    // An alert goes out, Node-RED is killed right after; while down run a falls back and diverges again, b stays NaN.
    await twoPollsEnded();
    logLoss(server, b, Number.NaN);
    await rig.receivedCount(2);
    await until(() => rig.memoryFile(KEY)?.outbox === undefined, { message: 'the outbox emptied' });
    await rig.kill();
    logLoss(server, a, 1, 2.5);
    logLoss(server, b, Number.NaN);
    await rig.restart();
    await rig.receivedCount(3);

    await twoPollsEnded();
    logLoss(server, b, 0.5, Number.NaN);
    await rig.receivedCount(4);
    await twoPollsEnded();
    assert.deepEqual(summary(), [
      'metric-alert a loss > 2 @2',
      'metric-alert b loss not finite @2',
      'metric-alert a loss > 2 @4',
      'metric-alert b loss not finite @5',
    ]);
    const ids = rig.received.map(({ eventId }) => eventId);
    for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
    assert.equal(new Set(ids).size, ids.length, 'each alert its own eventId');
  });
});
