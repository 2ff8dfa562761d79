'use strict';
// The request budget (`rate`, requests a minute) a client shares among
// everything that uses it: the queue of turns on fake time, then over HTTP
// every request, retries included, against a server that answers 429 past
// its own limit.
const assert = require('node:assert/strict');
const sinon = require('sinon');
const { RequestBudget } = require('../../nodes/client/budget');
const { withClient, ACCOUNT, metadataCall, rejectionOf } = require('../helpers/client');
const { useSampleServer } = require('../helpers/sample-server');
const { until } = require('../helpers/wait');
const { resourcesNow, leftSince } = require('../helpers/leaks');

describe('client: request budget', function () {
  describe('RequestBudget', function () {
    let clock;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    /** Takes `count` turns; returns the fake time at which each one went, in the order they went. */
    function takeTurns(budget, count, signal) {
      const went = [];
      const turns = Array.from({ length: count }, (_, i) => {
        const turn = budget.take(signal);
        if (!turn) went.push([i, Date.now()]);
        return turn ? turn.then(() => went.push([i, Date.now()])) : undefined;
      });
      return { went, turns };
    }

    it('spreads the requests a minute evenly: the first goes at once, the others one interval apart, in order', async function () {
      const budget = new RequestBudget(600);
      const { went, turns } = takeTurns(budget, 5);
      assert.equal(turns[0], undefined, 'a free turn costs no promise');
      await clock.tickAsync(400);
      assert.deepEqual(went, [0, 1, 2, 3, 4].map((i) => [i, 1_000_000 + 100 * i]));
      assert.equal(clock.countTimers(), 0, 'no timer once nobody waits');
    });

    it('a turn after a quiet spell goes at once again', async function () {
      const budget = new RequestBudget(60);
      assert.equal(budget.take(), undefined);
      await clock.tickAsync(1000);
      assert.equal(budget.take(), undefined);
      assert.ok(budget.take() instanceof Promise, 'the next one within the second waits');
      await clock.tickAsync(1000);
    });

    it('one timer for the whole queue, however many wait', async function () {
      const budget = new RequestBudget(600);
      takeTurns(budget, 50);
      assert.equal(budget.queued, 49);
      assert.equal(clock.countTimers(), 1);
      await clock.tickAsync(5000);
      assert.equal(budget.queued, 0);
      assert.equal(clock.countTimers(), 0);
    });

    it('an abort takes its waiters out of the queue at once, with its reason; the next one loses no time', async function () {
      const budget = new RequestBudget(600);
      const leaving = new AbortController();
      assert.equal(budget.take(), undefined);
      const dropped = rejectionOf(budget.take(leaving.signal));
      const staying = [];
      budget.take().then(() => staying.push(Date.now()));
      const reason = new Error('redeploy');
      leaving.abort(reason);
      assert.equal(await dropped, reason);
      await clock.tickAsync(100);
      assert.deepEqual(staying, [1_000_100], 'the turn of the one that left went to the next');
      const alone = new AbortController();
      const lone = rejectionOf(budget.take(alone.signal));
      alone.abort(reason);
      await lone;
      assert.equal(clock.countTimers(), 0, 'nobody left waiting: no timer');
    });

    it('estimates when the turn comes of the last request waiting, or of more behind it', async function () {
      const budget = new RequestBudget(600);
      budget.take();
      takeTurns(budget, 3);
      assert.equal(budget.lastTurnAt(), 1_000_000 + 100 + 2 * 100);
      assert.equal(budget.lastTurnAt(10), 1_000_000 + 100 + 12 * 100);
      await clock.tickAsync(300);
    });
  });

  describe('over HTTP', function () {
    const ctx = useSampleServer();
    let server, experimentKey;
    beforeEach(() => ({ server, experimentKey } = ctx));
    afterEach(() => server.limitRate(null));

    it('without a rate there is no budget at all: nothing for a request to take or check but its absence', async function () {
      await withClient(server, {}, async (client) => {
        assert.equal(client.budget, undefined);
        await Promise.all(Array.from({ length: 8 }, () => client.json(ACCOUNT)));
        assert.equal(server.requests.length, 8);
      });
    });

    it('every call of the client, whatever its kind, takes a turn of the one budget', async function () {
      await withClient(server, { ratePerMinute: 1200, concurrency: 4 }, async (client) => {
        const waited = [];
        const onWait = (wait) => waited.push(wait.reason);
        const started = Date.now();
        await Promise.all([
          client.json(ACCOUNT, { onWait }),
          client.json(metadataCall(experimentKey), { onWait }),
          client.raw({ endpoint: 'experiment/git/patch', method: 'GET', path: 'experiment/git/patch', query: { experimentKey } }, { onWait }),
          client.any(ACCOUNT, { onWait }),
          client.send(ACCOUNT, (answer) => answer.body.dump(), { onWait }),
          client.json(ACCOUNT, { onWait }),
        ]);
        assert.equal(server.requests.length, 6);
        assert.deepEqual(waited, ['budget', 'budget', 'budget', 'budget', 'budget'], 'every one but the first waited its turn');
        assert.ok(Date.now() - started >= 5 * 50 - 1, `6 turns of 50 ms take 250 ms at least (took ${Date.now() - started} ms)`);
      });
    });

    it('a retry takes a turn too, however short its backoff', async function () {
      await withClient(server, { ratePerMinute: 600, retryBaseMs: 1 }, async (client) => {
        server.fault('account-details', { status: 503 });
        const waited = [];
        await client.json(ACCOUNT, { onWait: (wait) => waited.push(wait.reason) });
        assert.equal(server.requests.length, 2);
        assert.deepEqual(waited, ['budget'], 'the retry waited for its turn');
      });
    });

    it('tells the caller that a request waits for the budget, and until about when the queue has gone', async function () {
      await withClient(server, { ratePerMinute: 600, concurrency: 2 }, async (client) => {
        const waits = [];
        const onWait = (wait) => waits.push({ ...wait, at: Date.now() });
        await Promise.all(Array.from({ length: 6 }, () => client.json(ACCOUNT, { onWait })));
        assert.equal(waits.length, 5, 'every request but the first waited');
        assert.ok(waits.every((w) => w.reason === 'budget'));
        // The first to wait sees 4 more behind it: its estimate is the end of the whole queue.
        assert.ok(waits[0].until - waits[0].at >= 400 && waits[0].until - waits[0].at <= 600, `estimate ${waits[0].until - waits[0].at} ms`);
      });
    });

    it("a 429 is told as a wait for Comet's rate limit, until when Comet asked", async function () {
      await withClient(server, {}, async (client) => {
        server.fault('account-details', { status: 429, headers: { 'Retry-After-Custom': '0.2' } });
        const waits = [];
        const sent = Date.now();
        await client.json(ACCOUNT, { onWait: (wait) => waits.push(wait) });
        assert.equal(waits.length, 1);
        assert.equal(waits[0].reason, 'rateLimit');
        assert.ok(waits[0].until >= sent + 200 && waits[0].until <= server.requests[1].at + 20, `until ${waits[0].until - sent} ms after the request`);
      });
    });

    it('an abort while requests wait for the budget ends them at once; none is sent later, no timer is left', async function () {
      const before = await resourcesNow();
      await withClient(server, { ratePerMinute: 60, concurrency: 2 }, async (client) => {
        await client.json(ACCOUNT);
        const controller = new AbortController();
        const reason = new Error('redeploy');
        let waiting = 0;
        const options = { signal: controller.signal, onWait: () => waiting++ };
        const pending = Array.from({ length: 4 }, () => rejectionOf(client.json(ACCOUNT, options)));
        await until(() => waiting === 2, { message: 'two waiting for their turn (the other two queued behind them)' });
        controller.abort(reason);
        const errors = await Promise.all(pending);
        assert.ok(errors.every((err) => err === reason));
        assert.equal(server.requests.length, 1);
      });
      assert.deepEqual(await leftSince(before), {});
    });

    it('against a server that refuses past 10 requests in 500 ms: 429s without a budget, none with one a little under it', async function () {
      server.limitRate({ max: 10, windowMs: 500, retryAfterSeconds: 0.2 });
      const calls = 16;
      const refusedWith = async (options) => {
        server.clearRequests();
        await withClient(server, { concurrency: 4, ...options }, (client) => Promise.all(Array.from({ length: calls }, () => client.json(ACCOUNT))));
        return server.requests.filter((r) => r.status === 429).length;
      };
      const without = await refusedWith({});
      server.limitRate({ max: 10, windowMs: 500, retryAfterSeconds: 0.2 }); // a fresh window
      const withBudget = await refusedWith({ ratePerMinute: 1080 });
      assert.ok(without > 0, 'the burst goes past the limit');
      assert.equal(withBudget, 0);
    });
  });
});
