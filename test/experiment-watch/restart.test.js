'use strict';
// comet-experiment-watch across a restart of Node-RED, with its memory in a
// file-backed context store as a user would set it: nothing sent twice,
// nothing missed while Node-RED was down.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { helper } = require('../helpers/runtime');
const { useWatchTest, collect, pollNow } = require('../watch/harness');
const { useFileContextStore } = require('../watch/file-store');
const { WS, PROJECT, experimentWatchFlow, summary } = require('./harness');

describe('comet-experiment-watch: restart with a file context store', function () {
  const ctx = useWatchTest();
  const store = useFileContextStore();
  let server;
  beforeEach(() => {
    ({ server } = ctx);
  });

  /** A restart, the first poll after it slow enough that its msgs are collected. */
  function restart(whileDown) {
    server.fault('experiments', { delayMs: 200 });
    return store.restart(whileDown);
  }

  it('sends nothing twice after a restart, and sends what happened while it was down', async () => {
    const early = server.data.runs.start(WS, PROJECT, 'early');
    await store.start(experimentWatchFlow(server, { store: 'file' }), server);
    let out = collect();
    await pollNow();
    assert.deepEqual(out, [], 'first start records, sends nothing');
    const late = server.data.runs.start(WS, PROJECT, 'late');
    server.data.runs.finish(early);
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-finished early finished', 'experiment-created late running']);

    let crashed;
    await restart(() => {
      server.data.runs.finish(late);
      crashed = server.data.runs.start(WS, PROJECT, 'while-down');
      server.data.runs.crash(crashed);
    });
    assert.match(JSON.stringify(fs.readdirSync(store.dir, { recursive: true })), /\.json/, 'the store wrote its file');

    out = collect();
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-finished late finished', 'experiment-created while-down crashed', 'experiment-crashed while-down crashed']);
    assert.equal(out[2].experimentKey, crashed);
    await pollNow();
    assert.equal(out.length, 3);

    await restart(() => {});
    out = collect();
    await pollNow();
    assert.deepEqual(out, [], 'a restart with nothing new sends nothing');
  });

  it('with the store left at the default (memory here), a restart starts afresh: records, sends nothing', async () => {
    const key = server.data.runs.start(WS, PROJECT, 'forgotten');
    await store.start(experimentWatchFlow(server), server);
    await pollNow();
    await restart(() => server.data.runs.finish(key));
    const out = collect();
    await pollNow();
    assert.deepEqual(out, []);
  });

  it('keeps its memory by project: renamed in the node from name to id, it goes on; pointed at another project, it starts afresh', async () => {
    const key = server.data.runs.start(WS, PROJECT, 'kept');
    await store.start(experimentWatchFlow(server, { store: 'file' }), server);
    await pollNow();
    const churnId = server.data.findProject({ projectName: PROJECT, workspaceName: WS }).projectId;
    const redeploy = (props) => helper.setFlows(experimentWatchFlow(server, { store: 'file', ...props }), 'full', { cfg: { apiKey: server.apiKey } });

    server.data.runs.finish(key);
    server.fault('experiments', { delayMs: 200 });
    await redeploy({ projectName: '', projectId: churnId });
    let out = collect();
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-finished kept finished']);

    server.fault('experiments', { delayMs: 200 });
    await redeploy({ projectName: 'fraud' });
    out = collect();
    await pollNow();
    assert.deepEqual(out, []);
  });
});
