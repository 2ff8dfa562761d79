'use strict';
// The tests every watch node passes, whatever it watches, as they are of the
// glue all watches share (src/node-red/watch-node.ts, triggers/poller.ts):
// backoff after a 429, a lasting outage reported once, no overlapping polls,
// the request budget's waits in the status, and close aborting the poll in flight.
const assert = require('node:assert/strict');
const { helper, load } = require('../helpers/runtime');
const { collect, pollNow } = require('./harness');
const { statusSpy } = require('../helpers/status');
const { until, realDelay } = require('../helpers/wait');

/**
 * Defines those tests in the enclosing describe, which has useWatchTest() as
 * `ctx`. `flowOf(server, props, configOptions)`: the watch's test flow (watch
 * node `w`); `path`: the endpoint every poll of it asks for.
 */
function itPollsAsEveryWatch(ctx, { flowOf, path }) {
  const polls = () => ctx.server.requests.filter((r) => r.path === path);
  /** The flow, polled on a timer every `interval` seconds (the minimum lowered for it). */
  const timed = (interval, configOptions) => {
    helper.settings({ cometWatchMinInterval: 0.01 });
    return flowOf(ctx.server, { interval }, configOptions);
  };
  afterEach(() => {
    helper.settings({ cometWatchMinInterval: undefined });
  });

  it('after a 429, waits at least as long as Comet asked before polling again', async () => {
    await load(timed('0.02', { retries: 0 }));
    const errors = collect('failed');
    await until(() => polls().length >= 3, { message: 'three timer polls' });
    ctx.server.fault(path, { status: 429, headers: { 'Retry-After': '3600' } });
    await until(() => errors.length === 1, { message: 'the failed poll' });
    assert.equal(errors[0].error.code, 'COMET_RATE_LIMITED');
    const after429 = polls().length;
    await realDelay(300); // 15 intervals
    assert.equal(polls().length, after429);
  });

  it('reports a lasting failure of timer polls to a Catch node once, not once a poll', async () => {
    await load(timed('0.02', { retries: 0 }));
    const errors = collect('failed');
    await until(() => polls().length >= 1, { message: 'the first poll' });
    ctx.server.fault(path, { status: 503, times: Infinity });
    const before = polls().length;
    await until(() => polls().length >= before + 5, { message: 'five failing polls' });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].error.code, 'COMET_SERVER_ERROR');
  });

  it('never overlaps polls, even when a poll is slower than the interval and msgs ask for more', async () => {
    ctx.server.fault(path, { delayMs: 150, times: 4 });
    await load(timed('0.01'));
    ctx.server.resetStats();
    await Promise.all([pollNow(), pollNow(), pollNow()]);
    await until(() => polls().length >= 6, { message: 'six polls' });
    assert.equal(ctx.server.maxInFlight, 1);
    const slowOnes = polls().slice(0, 4);
    for (let i = 1; i < slowOnes.length; i++) assert.ok(slowOnes[i].at >= slowOnes[i - 1].at + 150, 'each poll starts after the last ended');
  });

  it('with a rate, says in its status that a poll waits for the request budget, then shows the green dot', async () => {
    // One request a second: a poll asked for at once after another waits about a second for its turn.
    await load(flowOf(ctx.server, {}, { rate: 60 }));
    await pollNow();
    const status = statusSpy(helper.getNode('w'));
    await pollNow();
    const waiting = status.seen.find((s) => /^waiting for the request budget until \d\d:\d\d:\d\d$/.test(s.text));
    assert.ok(waiting, JSON.stringify(status.seen));
    assert.deepEqual([waiting.fill, waiting.shape], ['blue', 'ring']);
    await until(() => status.seen.at(-1).fill === 'green', { message: 'the green dot after the poll' });
  });

  it('close aborts the poll in flight and stops the timer: nothing sent, no request left open', async () => {
    const { server } = ctx;
    server.fault(path, { hang: true, times: Infinity });
    const flow = timed('0.01');
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
}

module.exports = { itPollsAsEveryWatch };
