'use strict';
// comet-model-watch across a restart of Node-RED, with its memory in a
// file-backed context store (Node-RED's localfilesystem) as a user would set it.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { helper, load } = require('../helpers/runtime');
const { WS, MODEL, useWatchTest, watchFlow, collect, pollNow } = require('./harness');

describe('comet-model-watch: restart with a file context store', function () {
  const ctx = useWatchTest();
  let server;
  let dir;
  beforeEach(() => {
    ({ server } = ctx);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-watch-'));
    helper.settings({
      contextStorage: {
        default: { module: 'memory' },
        file: { module: 'localfilesystem', config: { dir, flushInterval: 3600 } },
      },
    });
  });
  afterEach(async () => {
    await helper._context.close();
    helper.settings({ contextStorage: undefined });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Starts the flow as Node-RED does: context stores opened before any node
   * starts. The test helper skips opening stores, so load the flow without
   * the watch node, open them, then deploy the whole flow.
   */
  async function start(flow) {
    await load(flow.filter((node) => node.id !== 'w'));
    await helper._context.load();
    await helper.setFlows(flow, 'full', { cfg: { apiKey: server.apiKey } });
  }

  /** Stops Node-RED and starts it again: nodes made anew with the same ids, the store read back from disk. */
  async function restart(whileDown) {
    // Slow enough that the msgs of the first poll after the restart are collected.
    server.fault('registry-model/details', { delayMs: 200 });
    await helper._redNodes.stopFlows();
    await helper._context.close(); // flushes the store to its files
    whileDown();
    helper._context.init(helper.settings());
    await helper._context.load();
    await helper._redNodes.startFlows();
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
    const kept = JSON.stringify(fs.readdirSync(dir, { recursive: true }));
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
