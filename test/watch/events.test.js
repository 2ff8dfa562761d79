'use strict';
// comet-model-watch on one model: each kind of change, first start, emitInitial,
// and what a poll costs, against the sample server over real HTTP.
const assert = require('node:assert/strict');
const { load } = require('../helpers/runtime');
const { WS, MODEL, useWatchTest, watchFlow, collect, pollNow, registryRequests } = require('./harness');

describe('comet-model-watch: changes of one model', function () {
  const ctx = useWatchTest();
  let server;
  beforeEach(() => ({ server } = ctx));

  /** Loads the watch, lets its first poll end, and returns the msgs it sends, the first poll's included. */
  async function started(props) {
    // Slow enough that the first poll's msgs, if any, are collected.
    server.fault('registry-model/details', { delayMs: 100 });
    await load(watchFlow(server, props));
    const out = collect();
    await pollNow();
    return out;
  }

  const summary = (msgs) => msgs.map((m) => `${m.payload.event} ${m.topic} ${m.payload.stage ?? ''}`.trim());

  it('sends nothing on first start, and nothing while nothing changes', async () => {
    const out = await started();
    await pollNow();
    assert.deepEqual(out, []);
  });

  it('sends stage-added with the contract shape, the version details and the names a download node reads', async () => {
    const out = await started();
    server.registry.setStages(WS, MODEL, '1.1.0', ['staging', 'production']);
    await pollNow();
    assert.equal(out.length, 1);
    const [msg] = out;
    assert.equal(msg.topic, 'churn-model/1.1.0');
    const { versionDetails, detectedAt, ...rest } = msg.payload;
    assert.deepEqual(rest, {
      event: 'stage-added',
      workspace: WS,
      modelName: MODEL,
      version: '1.1.0',
      stage: 'production',
      stages: ['staging', 'production'],
      previousStages: ['staging'],
      status: 'Development',
      previousStatus: 'Development',
    });
    assert.equal(versionDetails.version, '1.1.0');
    assert.ok(versionDetails.registryModelItemId);
    assert.ok(Array.isArray(versionDetails.assets));
    assert.ok(!Number.isNaN(Date.parse(detectedAt)));
    assert.deepEqual([msg.workspace, msg.modelName, msg.version], [WS, MODEL, '1.1.0']);
  });

  it('sends stage-removed, status-changed, version-created and version-deleted', async () => {
    const out = await started();
    server.registry.setStages(WS, MODEL, '1.2.0', []);
    server.registry.setStatus(WS, MODEL, '1.1.0', 'Production');
    server.registry.addVersion(WS, MODEL, '1.3.0', { stages: ['staging'], status: 'Development' });
    server.registry.deleteVersion(WS, MODEL, '1.0.0');
    await pollNow();
    assert.deepEqual(summary(out).sort(), [
      'stage-removed churn-model/1.2.0 production',
      'status-changed churn-model/1.1.0',
      'version-created churn-model/1.3.0',
      'version-deleted churn-model/1.0.0',
    ]);
    const byEvent = Object.fromEntries(out.map((m) => [m.payload.event, m.payload]));
    assert.deepEqual([byEvent['status-changed'].previousStatus, byEvent['status-changed'].status], ['Development', 'Production']);
    assert.deepEqual(byEvent['version-created'].stages, ['staging']);
    assert.equal(byEvent['version-created'].versionDetails.version, '1.3.0');
    assert.deepEqual(byEvent['version-deleted'].previousStages, ['archived']);
    assert.equal(byEvent['version-deleted'].versionDetails, null);
    assert.deepEqual(byEvent['stage-removed'].stages, []);
  });

  it('reports a status that appears where there was none, and one per stage moved', async () => {
    const out = await started();
    server.registry.setStatus(WS, MODEL, '1.0.0', 'None');
    server.registry.setStages(WS, MODEL, '1.1.0', ['production']);
    await pollNow();
    assert.deepEqual(summary(out), [
      'status-changed churn-model/1.0.0',
      'stage-removed churn-model/1.1.0 staging',
      'stage-added churn-model/1.1.0 production',
    ]);
    assert.equal(out[0].payload.previousStatus, null);
  });

  it('collapses several changes between two polls into the net change', async () => {
    const out = await started();
    server.registry.setStages(WS, MODEL, '1.1.0', ['staging', 'production']);
    server.registry.setStages(WS, MODEL, '1.1.0', ['staging']);
    await pollNow();
    assert.deepEqual(out, []);
  });

  it('with emitInitial, sends the present state once at first start', async () => {
    const out = await started({ emitInitial: true });
    assert.deepEqual(summary(out), ['version-created churn-model/1.0.0', 'version-created churn-model/1.1.0', 'version-created churn-model/1.2.0']);
    assert.deepEqual(out[2].payload.stages, ['production']);
    await pollNow();
    assert.equal(out.length, 3);
  });

  it('costs one details call a poll when one model is watched', async () => {
    await started();
    server.clearRequests();
    await pollNow();
    server.registry.setStages(WS, MODEL, '1.0.0', []);
    await pollNow();
    assert.deepEqual(
      registryRequests(server).map((r) => `${r.path} ${r.query.workspaceName}/${r.query.modelName}`),
      ['registry-model/details ml-team/churn-model', 'registry-model/details ml-team/churn-model'],
    );
  });

  it('falls back to the config node workspace when its own is blank', async () => {
    const out = await started({ workspace: '' });
    server.registry.setStages(WS, MODEL, '1.0.0', []);
    await pollNow();
    assert.equal(out.length, 1);
    assert.equal(out[0].payload.workspace, WS);
  });
});
