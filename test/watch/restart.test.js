'use strict';
// comet-model-watch across a restart of Node-RED, with its memory in a
// file-backed context store (Node-RED's localfilesystem) as a user would set it.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { helper } = require('../helpers/runtime');
const { WS, MODEL, useWatchTest, watchFlow, collect, pollNow } = require('./harness');
const { useFileContextStore } = require('./file-store');

describe('comet-model-watch: restart with a file context store', function () {
  const ctx = useWatchTest();
  const store = useFileContextStore();
  let server;
  beforeEach(() => {
    ({ server } = ctx);
  });

  const start = (flow) => store.start(flow, server);

  /** A restart, the first poll after it slow enough that its msgs are collected. */
  function restart(whileDown) {
    server.fault('registry-model/details', { delayMs: 200 });
    return store.restart(whileDown);
  }

  it('sends no duplicate after a restart, and sends the change made while it was down', async () => {
    await start(watchFlow(server, { store: 'file' }));
    let out = collect();
    await pollNow();
    assert.deepEqual(out, [], 'first start records, sends nothing');
    server.registry.setStages(WS, MODEL, '1.1.0', ['staging', 'production']);
    await pollNow();
    assert.deepEqual(out.map((m) => `${m.payload.event} ${m.payload.version} ${m.payload.stage}`), ['stage-added 1.1.0 production']);

    await restart(() => server.registry.setStages(WS, MODEL, '1.2.0', ['production', 'archived']));
    const kept = JSON.stringify(fs.readdirSync(store.dir, { recursive: true }));
    assert.match(kept, /\.json/, 'the store wrote its file');

    out = collect();
    await pollNow();
    assert.deepEqual(out.map((m) => `${m.payload.event} ${m.payload.version} ${m.payload.stage}`), ['stage-added 1.2.0 archived']);
    await pollNow();
    assert.equal(out.length, 1);
  });

  it('with the store left at the default (memory here), a restart starts afresh (records, sends nothing)', async () => {
    await start(watchFlow(server));
    await pollNow();
    await restart(() => server.registry.setStages(WS, MODEL, '1.2.0', []));
    const out = collect();
    await pollNow();
    assert.deepEqual(out, []);
  });

  it('starts afresh (no msgs) when pointed at another model, not diffing against the old one', async () => {
    const flow = watchFlow(server, { store: 'file' });
    await start(flow);
    await pollNow();
    // Slow enough that the msgs of the first poll after the redeploy are collected.
    server.fault('registry-model/details', { delayMs: 200 });
    await helper.setFlows(watchFlow(server, { store: 'file', modelName: 'fraud-detector' }), 'full', { cfg: { apiKey: server.apiKey } });
    const out = collect();
    await pollNow();
    assert.deepEqual(out, []);
  });
});
