'use strict';
// A watch node's own file in userDir/comet-watches (node-red/context.ts): used
// with a persistent context store, read first after a restart, removed with
// the node; never kept with a memory store.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper } = require('../helpers/runtime');
const { WS, MODEL, useWatchTest, watchFlow, collect, pollNow } = require('./harness');
const { useFileContextStore } = require('./file-store');
const { isPersistentStore } = require('../../nodes/node-red/context');

describe('which context store keeps what a watch saw across a restart', function () {
  it('resolves the store as Node-RED does: none configured, default, alias, first listed, unknown names', () => {
    const memory = { module: 'memory' };
    const file = { module: 'localfilesystem' };
    assert.equal(isPersistentStore({}, undefined), false, 'no contextStorage: one memory store');
    assert.equal(isPersistentStore({ contextStorage: { default: memory, file } }, undefined), false);
    assert.equal(isPersistentStore({ contextStorage: { default: memory, file } }, 'file'), true);
    assert.equal(isPersistentStore({ contextStorage: { default: memory, file } }, 'nope'), false, 'an unknown store is the default');
    assert.equal(isPersistentStore({ contextStorage: { default: 'file', file, memory } }, undefined), true, '`default` naming another store');
    assert.equal(isPersistentStore({ contextStorage: { file, memory } }, undefined), true, 'no `default`: the first store listed');
    assert.equal(isPersistentStore({ contextStorage: { redis: { module: function custom() {} } } }, 'redis'), true, 'a module of its own');
  });
});

describe("comet-model-watch: its own file in Node-RED's userDir", function () {
  const ctx = useWatchTest();
  const store = useFileContextStore({ userDir: true });
  let server;
  beforeEach(() => ({ server } = ctx));

  const ownFile = () => path.join(store.dir, 'comet-watches', 'cometModelWatch-w.json');
  const read = () => JSON.parse(fs.readFileSync(ownFile(), 'utf8'));

  it('with a persistent store, keeps what it saw there too, and reads it first: a context store that lost its last writes loses nothing', async () => {
    await store.start(watchFlow(server, { store: 'file' }), server);
    await pollNow();
    assert.equal(read().scope, JSON.stringify([WS, MODEL]));
    assert.deepEqual(read(), helper.getNode('w').context().get('cometModelWatch', 'file'), 'the context store gets the same');

    server.registry.setStages(WS, MODEL, '1.1.0', ['staging', 'production']);
    server.fault('registry-model/details', { delayMs: 200 });
    // Down, as after a crash before the store's flush: its files hold nothing.
    await store.restart(() => fs.rmSync(path.join(store.dir, 'context'), { recursive: true, force: true }));
    const out = collect();
    await pollNow();
    assert.deepEqual(
      out.map((msg) => `${msg.payload.event} ${msg.payload.stage}`),
      ['stage-added production'],
    );
  });

  it('is removed when the node is deleted from the flows', async () => {
    await store.start(watchFlow(server, { store: 'file' }), server);
    await pollNow();
    assert.ok(fs.existsSync(ownFile()));
    await helper.setFlows(
      watchFlow(server).filter((node) => node.id !== 'w' && !node.scope),
      'full',
      { cfg: { apiKey: server.apiKey } },
    );
    assert.equal(fs.existsSync(ownFile()), false);
  });

  it('with a memory store, is neither written nor read, and one left from before is removed', async () => {
    fs.mkdirSync(path.dirname(ownFile()), { recursive: true });
    fs.writeFileSync(ownFile(), JSON.stringify({ format: 1, scope: JSON.stringify([WS, MODEL]), models: [] }));
    server.fault('registry-model/details', { delayMs: 100 });
    await store.start(watchFlow(server), server);
    const out = collect();
    await pollNow();
    assert.deepEqual(out, [], 'the old file would have made every version new');
    assert.equal(fs.existsSync(ownFile()), false);
  });
});
