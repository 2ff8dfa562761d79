'use strict';
// Retries: which failures are tried again, how long the client waits (the
// server's Retry-After / Retry-After-Custom, else exponential backoff with
// jitter, never past the cap), over real HTTP with fake timers for the waits.
const assert = require('node:assert/strict');
const sinon = require('sinon');
const retry = require('../../nodes/client/retry');

const { backoffMs, serverRetryAfterMs } = retry;
const { withClient, useClient, ACCOUNT, metadataCall, rejectionOf } = require('../helpers/client');
const { until } = require('../helpers/wait');

describe('client: retry and backoff', function () {
  describe('backoffMs', function () {
    it('waits between half and all of base * 2^attempt (full jitter, never zero)', function () {
      for (let attempt = 0; attempt < 6; attempt++) {
        const ceiling = 500 * 2 ** attempt;
        assert.equal(backoffMs(attempt, { baseMs: 500, maxMs: 1e9 }, () => 0), ceiling / 2);
        assert.equal(backoffMs(attempt, { baseMs: 500, maxMs: 1e9 }, () => 0.999999), ceiling);
        for (let i = 0; i < 50; i++) {
          const wait = backoffMs(attempt, { baseMs: 500, maxMs: 1e9 });
          assert.ok(wait >= ceiling / 2 && wait <= ceiling, `attempt ${attempt}: ${wait} outside [${ceiling / 2}, ${ceiling}]`);
        }
      }
    });

    it('never waits longer than the cap', function () {
      for (const random of [() => 0, Math.random, () => 0.999999]) {
        assert.ok(backoffMs(20, { baseMs: 500, maxMs: 10_000 }, random) <= 10_000);
      }
    });
  });

  describe('serverRetryAfterMs', function () {
    it('reads Retry-After in seconds, fractions included', function () {
      assert.equal(serverRetryAfterMs({ 'retry-after': '1' }), 1000);
      assert.equal(serverRetryAfterMs({ 'retry-after': ' 2.5 ' }), 2500);
    });

    it('reads Retry-After as an HTTP date', function () {
      const now = Date.parse('2026-01-01T00:00:00Z');
      assert.equal(serverRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }, now), 7000);
      assert.equal(serverRetryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, now), 0);
    });

    it("prefers Comet's Retry-After-Custom (seconds, float)", function () {
      assert.equal(serverRetryAfterMs({ 'retry-after-custom': '0.25', 'retry-after': '9' }), 250);
    });

    it('ignores what it cannot read', function () {
      assert.equal(serverRetryAfterMs({}), undefined);
      assert.equal(serverRetryAfterMs({ 'retry-after': 'soon' }), undefined);
      assert.equal(serverRetryAfterMs({ 'retry-after-custom': 'x', 'retry-after': 'in a while' }), undefined);
    });
  });

  describe('over HTTP', function () {
    const ctx = useClient({ retries: 3, retryBaseMs: 400, retryMaxWaitMs: 5000 });
    let server, client, experimentKey, clock;
    beforeEach(async function () {
      ({ server, client, experimentKey } = ctx);
      // undici keeps one shared tick timer: let it be a real one before time is faked.
      await client.json(ACCOUNT);
      server.clearRequests();
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    });
    afterEach(function () {
      clock.restore();
      sinon.restore();
    });

    /**
     * Lets `pending` run on fake time: each time the client sleeps before a
     * retry, records how long it asked for and jumps exactly that far. (undici
     * keeps its own fake-able timers, so the clock's next timer is not always ours.)
     * Returns the waits and the outcome.
     */
    async function run(pending) {
      const sleeps = sinon.spy(retry, 'sleep');
      const waits = [];
      let outcome;
      pending.then(
        (value) => (outcome = { value }),
        (error) => (outcome = { error }),
      );
      for (;;) {
        await until(() => outcome || sleeps.callCount > waits.length, { message: 'a retry wait or the outcome' });
        if (outcome) return { waits, ...outcome };
        const wait = sleeps.getCall(waits.length).args[0];
        waits.push(wait);
        await clock.tickAsync(wait);
      }
    }

    it('429 with Retry-After: 1, then success: waits exactly 1 s, then answers', async function () {
      server.fault('account-details', { status: 429, headers: { 'Retry-After': '1' } });
      const { waits, value } = await run(client.json(ACCOUNT));
      assert.deepEqual(waits, [1000]);
      assert.equal(value.userName, 'ada');
      assert.equal(server.requests.length, 2);
    });

    it('Retry-After-Custom wins over Retry-After', async function () {
      server.fault('account-details', { status: 429, headers: { 'Retry-After-Custom': '0.25', 'Retry-After': '3' } });
      const { waits } = await run(client.json(ACCOUNT));
      assert.deepEqual(waits, [250]);
    });

    it('a 503 may carry Retry-After too', async function () {
      server.fault('account-details', { status: 503, headers: { 'Retry-After': '2' } });
      const { waits } = await run(client.json(ACCOUNT));
      assert.deepEqual(waits, [2000]);
    });

    it('without Retry-After: exponential backoff within the jitter bounds', async function () {
      server.fault('account-details', { status: 500, times: 3 });
      const { waits, value } = await run(client.json(ACCOUNT));
      assert.equal(value.userName, 'ada');
      assert.equal(waits.length, 3);
      waits.forEach((wait, attempt) => {
        const ceiling = 400 * 2 ** attempt;
        assert.ok(wait >= ceiling / 2 && wait <= ceiling, `wait ${attempt}: ${wait} outside [${ceiling / 2}, ${ceiling}]`);
      });
    });

    it('with Math.random at its extremes, the waits are exactly half and all of the ceiling', async function () {
      sinon.stub(Math, 'random').returns(0);
      server.fault('account-details', { status: 502, times: 3 });
      assert.deepEqual((await run(client.json(ACCOUNT))).waits, [200, 400, 800]);
    });

    it('the backoff never waits past the cap', async function () {
      await withClient(server, { retries: 5, retryBaseMs: 2000, retryMaxWaitMs: 5000 }, async (capped) => {
        sinon.stub(Math, 'random').returns(0.999999);
        server.fault('account-details', { status: 504, times: 5 });
        const { waits } = await run(capped.json(ACCOUNT));
        assert.deepEqual(waits, [2000, 4000, 5000, 5000, 5000]);
      });
    });

    it('a Retry-After longer than the cap gives up at once, saying how long Comet asked', async function () {
      server.fault('account-details', { status: 429, headers: { 'Retry-After': '120' }, times: Infinity });
      const { waits, error } = await run(client.json(ACCOUNT));
      assert.deepEqual(waits, []);
      assert.equal(error.code, 'COMET_RATE_LIMITED');
      assert.match(error.message, /asked to wait 120 s/);
      assert.equal(error.retryAfterSeconds, 120);
      assert.equal(server.requests.length, 1);
    });

    it('429 forever: gives up after the retry budget with a rate-limit error', async function () {
      server.fault('account-details', { status: 429, headers: { 'Retry-After': '1' }, times: Infinity });
      const { waits, error } = await run(client.json(ACCOUNT));
      assert.deepEqual(waits, [1000, 1000, 1000]);
      assert.equal(error.code, 'COMET_RATE_LIMITED');
      assert.match(error.message, /rate limit stopped account-details \(HTTP 429, attempts: 4\)/);
      assert.equal(server.requests.length, 4);
    });

    for (const status of [400, 401, 403, 404]) {
      it(`${status} is never retried`, async function () {
        server.fault('account-details', { status, times: Infinity });
        const { waits, error } = await run(client.json(ACCOUNT));
        assert.deepEqual(waits, []);
        assert.equal(error.cause.statusCode, status);
        assert.equal(server.requests.length, 1);
      });
    }

    it('the POST endpoints only read, so they are retried, with the same body', async function () {
      const body = { projectId: server.data.projects[0].projectId, predicates: [] };
      server.fault('project/query', { status: 503 });
      const { waits, value } = await run(client.json({ endpoint: 'project/query', method: 'POST', path: 'project/query', body }));
      assert.equal(waits.length, 1);
      assert.ok(Array.isArray(value.experimentKeys));
      assert.deepEqual(
        server.requests.map((r) => [r.method, r.body]),
        [
          ['POST', body],
          ['POST', body],
        ],
      );
    });

    it('a connection reset before the headers is retried', async function () {
      server.fault('experiment/metadata', { reset: 'before-headers' });
      const { waits, value } = await run(client.json(metadataCall(experimentKey)));
      assert.equal(waits.length, 1);
      assert.equal(value.experimentKey, experimentKey);
    });

    it('a connection reset in the middle of a JSON body is retried', async function () {
      server.fault('experiment/metadata', { reset: 'mid-body' });
      clock.restore(); // the sample server times the reset with a real timer
      const { value } = await run(client.json(metadataCall(experimentKey)));
      assert.equal(value.experimentKey, experimentKey);
      assert.equal(server.requests.length, 2);
    });

    it('a JSON body cut short (fewer bytes than Content-Length) is retried', async function () {
      server.fault('experiment/metadata', { truncate: true });
      const { value } = await run(client.json(metadataCall(experimentKey)));
      assert.equal(value.experimentKey, experimentKey);
      assert.equal(server.requests.length, 2);
    });

    it('resets forever: gives up with a network error naming the host and port', async function () {
      server.fault('experiment/metadata', { reset: 'before-headers', times: Infinity });
      const { waits, error } = await run(client.json(metadataCall(experimentKey)));
      assert.equal(waits.length, 3);
      assert.equal(error.code, 'COMET_NETWORK');
      assert.ok(error.message.includes(`127.0.0.1:${server.port}`), error.message);
    });

    it('an abort during the wait ends the call at once, with the abort reason', async function () {
      server.fault('account-details', { status: 429, headers: { 'Retry-After': '4' }, times: Infinity });
      const controller = new AbortController();
      const pending = client.json(ACCOUNT, { signal: controller.signal });
      const sleeps = sinon.spy(retry, 'sleep');
      await until(() => sleeps.called, { message: 'the retry wait' });
      const reason = new Error('closing');
      controller.abort(reason);
      assert.equal(await rejectionOf(pending), reason);
      assert.equal(server.requests.length, 1);
    });
  });
});
