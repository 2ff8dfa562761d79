'use strict';
// The per-config concurrency limit, its queue, cancelling (in flight and
// queued) and closing: counted by the server, and by Node's own list of
// live handles.
const assert = require('node:assert/strict');
const { Limiter } = require('../../nodes/client/limiter');
const { getEventListeners } = require('node:events');
const { clientFor, withClient, ACCOUNT, rejectionOf } = require('../helpers/client');
const { useSampleServer } = require('../helpers/sample-server');
const { until, realDelay } = require('../helpers/wait');
const { resources, resourcesNow, leftSince } = require('../helpers/leaks');

describe('client: concurrency, abort and close', function () {
  const ctx = useSampleServer();
  let server;
  beforeEach(() => ({ server } = ctx));

  it('never has more requests at the server than the limit, and answers every one', async function () {
    await withClient(server, { concurrency: 3 }, async (client) => {
      server.fault('account-details', { delayMs: 20, times: Infinity });
      const answers = await Promise.all(Array.from({ length: 30 }, () => client.json(ACCOUNT)));
      assert.equal(answers.length, 30);
      assert.ok(answers.every((a) => a.userName === 'ada'));
      assert.equal(server.requests.length, 30);
      assert.equal(server.maxInFlight, 3, 'the limit is reached and held');
    });
  });

  it("the client's limiter reports what runs and what waits", async function () {
    const limiter = new Limiter(2, 100, () => new Error('queue full'));
    const load = () => ({ running: limiter.running, queued: limiter.queued });
    await withClient(server, { concurrency: 2 }, async (client) => {
      server.fault('account-details', { hang: true, times: Infinity });
      const controller = new AbortController();
      const pending = Array.from({ length: 5 }, () => limiter.run(controller.signal, () => client.json(ACCOUNT, { signal: controller.signal })).catch((e) => e));
      await until(() => server.inFlight === 2, { message: 'two requests at the server' });
      assert.deepEqual(load(), { running: 2, queued: 3 });
      controller.abort();
      await Promise.all(pending);
      assert.deepEqual(load(), { running: 0, queued: 0 });
    });
  });

  it('an abort ends requests in flight and queued at once; the queued ones are never sent', async function () {
    await withClient(server, { concurrency: 2 }, async (client) => {
      server.fault('account-details', { hang: true, times: Infinity });
      const controller = new AbortController();
      const pending = Array.from({ length: 6 }, () => rejectionOf(client.json(ACCOUNT, { signal: controller.signal })));
      await until(() => server.inFlight === 2, { message: 'two requests at the server' });
      const reason = new Error('redeploy');
      controller.abort(reason);
      const errors = await Promise.all(pending);
      assert.ok(errors.every((err) => err === reason), 'every call rejects with the abort reason');
      await until(() => server.inFlight === 0, { message: 'the server to see both connections closed' });
      await realDelay(50);
      assert.equal(server.requests.length, 2);
    });
  });

  it('aborting one queued call leaves the others running, and frees its place', async function () {
    await withClient(server, { concurrency: 1 }, async (client) => {
      server.fault('account-details', { delayMs: 30 });
      const first = client.json(ACCOUNT);
      const controller = new AbortController();
      const dropped = rejectionOf(client.json(ACCOUNT, { signal: controller.signal }));
      const third = client.json(ACCOUNT);
      await until(() => server.inFlight === 1, { message: 'the first request at the server' });
      controller.abort();
      assert.equal((await dropped).name, 'AbortError', "the signal's own reason");
      assert.equal((await first).userName, 'ada');
      assert.equal((await third).userName, 'ada');
      assert.equal(server.requests.length, 2);
    });
  });

  it('a signal already aborted sends nothing', async function () {
    await withClient(server, {}, async (client) => {
      const err = await rejectionOf(client.json(ACCOUNT, { signal: AbortSignal.abort() }));
      assert.equal(err.name, 'AbortError');
      assert.equal(server.requests.length, 0);
    });
  });

  it('a full queue refuses more at once, with a clear error', async function () {
    await withClient(server, { concurrency: 1, maxQueued: 2 }, async (client) => {
      server.fault('account-details', { hang: true, times: Infinity });
      const controller = new AbortController();
      const held = Array.from({ length: 3 }, () => client.json(ACCOUNT, { signal: controller.signal }).catch(() => undefined));
      const err = await rejectionOf(client.json(ACCOUNT));
      assert.equal(err.code, 'COMET_QUEUE_FULL');
      assert.match(err.message, /More than 2 requests of config node "test-config" are waiting for Comet/);
      controller.abort();
      await Promise.all(held);
    });
  });

  it('a thousand calls queued on one signal add one abort listener to it, not a thousand', async function () {
    await withClient(server, { concurrency: 2 }, async (client) => {
      server.fault('account-details', { hang: true, times: Infinity });
      const controller = new AbortController();
      const held = Array.from({ length: 1000 }, () => client.json(ACCOUNT, { signal: controller.signal }).catch(() => undefined));
      await until(() => server.inFlight === 2, { message: 'two requests at the server' });
      // One for the queue, one for each request in flight.
      assert.equal(getEventListeners(controller.signal, 'abort').length, 3);
      controller.abort();
      await Promise.all(held);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    });
  });

  it('once the queue drains, no listener is left on the signal', async function () {
    await withClient(server, { concurrency: 1 }, async (client) => {
      const controller = new AbortController();
      await Promise.all(Array.from({ length: 5 }, () => client.json(ACCOUNT, { signal: controller.signal })));
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    });
  });

  it('close() leaves no socket or timer behind, also with requests in flight', async function () {
    const before = await resourcesNow();
    const client = clientFor(server, { concurrency: 4 });
    await Promise.all(Array.from({ length: 8 }, () => client.json(ACCOUNT)));
    server.fault('account-details', { hang: true });
    const hanging = rejectionOf(client.json(ACCOUNT));
    await until(() => server.inFlight === 1, { message: 'the hanging request at the server' });
    assert.ok(resources().TCPSocketWrap > (before.TCPSocketWrap || 0), 'keep-alive sockets are open before close');
    await client.close();
    assert.equal((await hanging).code, 'COMET_NETWORK');
    await until(() => server.inFlight === 0, { message: 'the server to see the connection closed' });
    assert.deepEqual(await leftSince(before), {});
  });
});
