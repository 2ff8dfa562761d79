'use strict';
// comet-model-watch with the model blank: every model of the workspace, read
// cheaply (the list's lastUpdated decides which details to fetch).
const assert = require('node:assert/strict');
const { load } = require('../helpers/runtime');
const { WS, useWatchTest, watchFlow, collect, pollNow, registryRequests } = require('./harness');

describe('comet-model-watch: every model of a workspace', function () {
  const ctx = useWatchTest();
  let server;
  beforeEach(() => ({ server } = ctx));

  const paths = (requests) => requests.map((r) => (r.query.modelName ? `${r.path} ${r.query.modelName}` : r.path));

  it('with 500 models, a poll with one change costs 2 requests and one with none costs 1', async () => {
    const names = server.registry.generateModels(WS, 498);
    const total = server.data.registryModels[WS].length;
    assert.equal(total, 500);
    await load(watchFlow(server, { modelName: '' }, { concurrency: 8 }));
    const out = collect();
    await pollNow();
    // The first poll (at start) read every model once; the asked-for one only the list.
    const first = paths(registryRequests(server));
    assert.equal(first.filter((p) => p.startsWith('registry-model/details')).length, total);
    assert.equal(first.filter((p) => p === 'registry-model').length, 2);

    server.clearRequests();
    await pollNow();
    assert.deepEqual(paths(registryRequests(server)), ['registry-model']);

    server.clearRequests();
    server.registry.setStages(WS, names[100], '1.0.0', ['staging']);
    await pollNow();
    assert.deepEqual(paths(registryRequests(server)), ['registry-model', `registry-model/details ${names[100]}`]);
    assert.deepEqual(
      out.map((m) => [m.payload.event, m.topic, m.payload.stage]),
      [['stage-added', `${names[100]}/1.0.0`, 'staging']],
    );
  });

  it('sends version-created for a new model and version-deleted for a model that is gone', async () => {
    await load(watchFlow(server, { modelName: '' }));
    const out = collect();
    await pollNow();
    server.registry.addModel(WS, 'new-model', { versions: [{ version: '0.1.0', stages: ['staging'] }] });
    const models = server.data.registryModels[WS];
    models.splice(models.findIndex((m) => m.modelName === 'fraud-detector'), 1);
    await pollNow();
    assert.deepEqual(out.map((m) => `${m.payload.event} ${m.topic}`).sort(), [
      'version-created new-model/0.1.0',
      'version-deleted fraud-detector/0.9.0',
      'version-deleted fraud-detector/1.0.0',
    ]);
  });

  it('a failed details call fails the whole poll: nothing sent, nothing forgotten, the change comes next time', async () => {
    await load(watchFlow(server, { modelName: '' }, { retries: 0 }));
    const out = collect();
    await pollNow();
    server.registry.setStages(WS, 'churn-model', '1.0.0', []);
    server.registry.setStages(WS, 'fraud-detector', '0.9.0', ['staging']);
    server.fault((req) => req.path === 'registry-model/details' && req.query.modelName === 'fraud-detector', { status: 503 });
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_SERVER_ERROR');
    assert.deepEqual(out, []);
    await pollNow();
    assert.deepEqual(out.map((m) => `${m.payload.event} ${m.topic}`).sort(), ['stage-added fraud-detector/0.9.0', 'stage-removed churn-model/1.0.0']);
    await pollNow();
    assert.equal(out.length, 2);
  });
});
