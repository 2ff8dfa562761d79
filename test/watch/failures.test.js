'use strict';
// comet-model-watch when things go wrong: failed polls, 429, slow polls, close
// mid-poll, bad settings.
const assert = require('node:assert/strict');
const { helper, load } = require('../helpers/runtime');
const { statusSpy } = require('../helpers/status');
const { WS, MODEL, useWatchTest, watchFlow, collect, pollNow, registryRequests } = require('./harness');
const { until, realDelay } = require('../helpers/wait');

const DETAILS = 'registry-model/details';

describe('comet-model-watch: failures, timing and close', function () {
  const ctx = useWatchTest();
  let server;
  beforeEach(() => ({ server } = ctx));
  afterEach(() => {
    helper.settings({ cometWatchMinInterval: undefined });
  });

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

  it('after a 429, waits at least as long as Comet asked before polling again', async () => {
    helper.settings({ cometWatchMinInterval: 0.01 });
    await load(watchFlow(server, { interval: '0.02' }, { retries: 0 }));
    const errors = collect('failed');
    await until(() => registryRequests(server).length >= 3, { message: 'three timer polls' });
    server.fault(DETAILS, { status: 429, headers: { 'Retry-After': '3600' } });
    await until(() => errors.length === 1, { message: 'the failed poll' });
    assert.equal(errors[0].error.code, 'COMET_RATE_LIMITED');
    const after429 = registryRequests(server).length;
    await realDelay(300); // 15 intervals
    assert.equal(registryRequests(server).length, after429);
  });

  it('reports a lasting failure of timer polls to a Catch node once, not once a poll', async () => {
    helper.settings({ cometWatchMinInterval: 0.01 });
    await load(watchFlow(server, { interval: '0.02' }, { retries: 0 }));
    const errors = collect('failed');
    await until(() => registryRequests(server).length >= 1, { message: 'the first poll' });
    server.fault(DETAILS, { status: 503, times: Infinity });
    const before = registryRequests(server).length;
    await until(() => registryRequests(server).length >= before + 5, { message: 'five failing polls' });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].error.code, 'COMET_SERVER_ERROR');
  });

  it('never overlaps polls, even when a poll is slower than the interval and msgs ask for more', async () => {
    helper.settings({ cometWatchMinInterval: 0.01 });
    server.fault(DETAILS, { delayMs: 150, times: 4 });
    await load(watchFlow(server, { interval: '0.01' }));
    server.resetStats();
    const asked = [pollNow(), pollNow(), pollNow()];
    await Promise.all(asked);
    await until(() => registryRequests(server).length >= 6, { message: 'six polls' });
    assert.equal(server.maxInFlight, 1);
    const slowOnes = registryRequests(server).slice(0, 4);
    for (let i = 1; i < slowOnes.length; i++) assert.ok(slowOnes[i].at >= slowOnes[i - 1].at + 150, 'each poll starts after the last ended');
  });

  it('close aborts the poll in flight and stops the timer: nothing sent, no request left open', async () => {
    helper.settings({ cometWatchMinInterval: 0.01 });
    server.fault(DETAILS, { hang: true, times: Infinity });
    const flow = watchFlow(server, { interval: '0.01' });
    await load(flow);
    const out = collect();
    await until(() => server.inFlight === 1, { message: 'the hanging request' });
    // Only the watch node goes (the config node and its connections stay): its own close must abort the request.
    await helper.setFlows(flow.filter((node) => node.id !== 'w'), 'nodes', { cfg: { apiKey: server.apiKey } });
    await until(() => server.inFlight === 0, { message: 'the request to be aborted' });
    const count = server.requests.length;
    await realDelay(100);
    assert.equal(server.requests.length, count, 'no poll after close');
    assert.deepEqual(out, []);
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
