'use strict';
// comet-model-watch when things go wrong: failed polls, 429, slow polls, close
// mid-poll, bad settings.
const assert = require('node:assert/strict');
const { helper, load } = require('../helpers/runtime');
const { statusSpy } = require('../helpers/status');
const { WS, MODEL, useWatchTest, watchFlow, collect, pollNow, registryRequests } = require('./harness');
const { until } = require('../helpers/wait');
const { itPollsAsEveryWatch } = require('./timing');

const DETAILS = 'registry-model/details';

describe('comet-model-watch: failures, timing and close', function () {
  const ctx = useWatchTest();
  let server;
  beforeEach(() => ({ server } = ctx));
  itPollsAsEveryWatch(ctx, { flowOf: watchFlow, path: DETAILS });

  it('a failed poll sends nothing, shows a red ring with the reason, and keeps what it saw', async () => {
    await load(watchFlow(server, {}, { retries: 0 }));
    const out = collect();
    await pollNow();
    const status = statusSpy(helper.getNode('w'));
    server.registry.setStages(WS, MODEL, '1.1.0', ['production']);
    server.fault(DETAILS, { status: 500 });
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_SERVER_ERROR' && err.cause.statusCode === 500);
    assert.deepEqual(out, []);
    const red = await status.until((s) => s.fill === 'red');
    assert.equal(red.shape, 'ring');
    assert.equal(red.text, 'server error (500)');

    await pollNow();
    assert.deepEqual(out.map((m) => `${m.payload.event} ${m.payload.stage}`), ['stage-removed staging', 'stage-added production']);
    await until(() => status.seen.at(-1).fill === 'green', { timeout: 2000, message: 'a green status after the good poll' });
  });

  it('refuses an interval below the minimum: no request, and an asked-for poll fails with COMET_BAD_INPUT', async () => {
    await load(watchFlow(server, { interval: '2' }));
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_BAD_INPUT' && /"2".*at least 5.*Every/.test(err.message));
    assert.deepEqual(registryRequests(server), []);
  });

  it('fails without a config node and without a workspace anywhere, naming what is missing', async () => {
    await load(watchFlow(server, { server: '' }));
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_BAD_INPUT' && /No Comet config node/.test(err.message));
    await helper.unload();
    await load(watchFlow(server, { workspace: '' }, { workspace: '' }));
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_BAD_INPUT' && /^workspace is missing/.test(err.message));
    assert.deepEqual(registryRequests(server), []);
  });
});
