'use strict';
// src/cluster/ against a real redis-server of the test's own: the lease, the
// memory written under it, claims, the shared budget, and the connection
// shared by config nodes and closed with its last user.
const assert = require('node:assert/strict');
const { Shared } = require('../../nodes/cluster/shared');
const { LeaseLostError } = require('../../nodes/cluster/shared-memory');
const { displayAddress, isRedisUrl } = require('../../nodes/cluster/redis-connection');
const { haveRedis, startRedis, dumpKeys, redisClient } = require('../helpers/redis');
const { until, realDelay } = require('../helpers/wait');

const REST_ROOT = 'http://127.0.0.1:1/api/rest/v2/';
const API_KEY = 'cluster-test-key';

describe('cluster: what processes share through Redis', function () {
  this.timeout(20000);
  let redis;
  const open = [];

  before(async function () {
    if (!haveRedis()) throw new Error('redis-server is missing: scripts/test-all.sh installs it (apt-get install redis-server)');
    redis = await startRedis();
  });
  after(() => redis?.remove());
  afterEach(async () => {
    // Watches first: each lets its lease go, then its hold on the connection.
    const items = open.splice(0);
    await Promise.all(items.filter((item) => item.stop).map((lease) => lease.stop()));
    await Promise.all(items.filter((item) => !item.stop).map((share) => share.close()));
  });


  /** A Shared as one config node in one process makes it; closed after the test. */
  function shared(password = redis.password) {
    const made = new Shared({ url: redis.url, password, restRoot: REST_ROOT, apiKey: API_KEY, unavailable: () => Object.assign(new Error('redis down'), { code: 'COMET_SHARED_UNAVAILABLE' }) });
    open.push(made);
    return made;
  }

  const up = (share) => until(() => share.connection.up, { message: 'the connection to be up' });

  it('reads Redis URLs and shows them without their password', function () {
    assert.equal(isRedisUrl('redis://host:6379'), true);
    assert.equal(isRedisUrl('rediss://host:6380/2'), true);
    assert.equal(isRedisUrl('http://host:6379'), false);
    assert.equal(isRedisUrl('redis://'), false);
    // node-redis takes only a database number as the path: anything else fails the deploy with the config's clear error.
    assert.equal(isRedisUrl('redis://host:6379/cache'), false);
    assert.equal(isRedisUrl('redis://host:6379/'), true);
    // The password goes in the credential, never in the URL that flows.json and exports keep.
    assert.equal(isRedisUrl('redis://:secret@host:6379'), false);
    assert.equal(isRedisUrl('redis://user:secret@host:6379'), false);
    assert.equal(displayAddress('redis://:hunter2@host:6379/3'), 'redis://host:6379/3');
  });

  it('gives the lease to one of two holders, and to the other once the first stops', async function () {
    const states = { a: [], b: [] };
    // A time to live of 1.5 s, a beat every 0.5 s: room for a busy machine's late timers.
    const a = shared().watch('node-1', 1500, (state) => states.a.push(state));
    const b = shared().watch('node-1', 1500, (state) => states.b.push(state));
    open.push(a, b);
    a.lease.start();
    await until(() => a.lease.held);
    b.lease.start();
    await until(() => states.b.includes('standby'));
    // Renewed: still a's after more than twice its time to live.
    await realDelay(3200);
    assert.deepEqual([a.lease.held, b.lease.held, states.a, states.b], [true, false, ['held'], ['standby']]);
    await a.lease.stop();
    // Let go: the other takes it at its next beat (a third of the time to live), not once it runs out.
    const released = Date.now();
    await until(() => b.lease.held, { timeout: 3000 });
    assert.ok(Date.now() - released < 1500, `taken after ${Date.now() - released} ms`);
  });

  it('tells a lease taken anew as held again, though this keeper held it before: another may have written meanwhile', async function () {
    const states = [];
    const a = shared().watch('node-6', 1500, (state) => states.push(state));
    open.push(a);
    a.lease.start();
    await until(() => a.lease.held);
    // As when a's process stalled past its lease, another took it and let it go, and a's next beat finds it free.
    const client = await redisClient(redis);
    try {
      await client.del(a.lease.key);
    } finally {
      await client.close();
    }
    await until(() => states.length === 2, { timeout: 3000, message: 'a second held' });
    assert.deepEqual(states, ['held', 'held']);
  });

  it('lets the lease go when stopped while its first beat is under way', async function () {
    const a = shared().watch('node-5', 180000, () => {});
    open.push(a);
    await up(a);
    // Up already: start() beats at once, and the stop comes before Redis answers.
    a.lease.start();
    await a.lease.stop();
    const client = await redisClient(redis);
    try {
      assert.equal(await client.get(a.lease.key), null, 'the lease is free for another process at once');
    } finally {
      await client.close();
    }
  });

  it('writes the memory only under the lease: a holder that lost it gets LeaseLostError', async function () {
    // a's beat is a minute away: it cannot take its lease back between the test's DEL and b's first beat.
    const a = shared().watch('node-2', 180000, () => {});
    const b = shared().watch('node-2', 180000, () => {});
    open.push(a, b);
    a.lease.start();
    await until(() => a.lease.held);
    await a.memory.write({ seen: 1 });
    assert.deepEqual(await b.memory.read(), { seen: 1 });
    // a's lease runs out (as when its process stalls past it) and b takes it before a's next beat.
    const client = await redisClient(redis);
    try {
      await client.del(a.lease.key);
    } finally {
      await client.close();
    }
    b.lease.start();
    await until(() => b.lease.held, { timeout: 2000, message: 'b to take the lease' });
    await assert.rejects(a.memory.write({ seen: 0 }), LeaseLostError);
    await b.memory.write({ seen: 2 });
    assert.deepEqual(await a.memory.read(), { seen: 2 });
    // Something else wrote there: read as none, so the watch starts afresh instead of failing every poll.
    const other = await redisClient(redis);
    try {
      await other.set(`${a.lease.key.slice(0, -':lease'.length)}:memory`, 'not json');
    } finally {
      await other.close();
    }
    assert.equal(await b.memory.read(), undefined);
  });

  it('claims each eventId once across holders, per node', async function () {
    const one = shared().claims('node-3', 60000);
    const other = shared().claims('node-3', 60000);
    const elsewhere = shared().claims('node-4', 60000);
    await up(shared());
    assert.equal(await one.claim('e1'), true);
    assert.equal(await other.claim('e1'), false);
    assert.equal(await one.claim('e1'), false);
    assert.equal(await elsewhere.claim('e1'), true);
  });

  it('spreads one budget over every holder: turns an interval apart, whoever takes them', async function () {
    const a = shared().budget(600); // one every 100 ms
    const b = shared().budget(600);
    const waits = [];
    const turns = [];
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => Promise.resolve((i % 2 ? a : b).take(undefined, (until) => waits.push(until))).then(() => turns.push(Date.now() - started))));
    turns.sort((x, y) => x - y);
    assert.equal(waits.length, 5, 'every turn after the first waits, and says until when');
    // Six turns 100 ms apart on Redis's clock, the first taken after `started`: the last no sooner than 500 ms
    // after it (a busy machine can only make turns later; a ms of rounding between the two clocks).
    assert.ok(turns[5] >= 499, `turns ${turns.join(', ')}`);
  });

  it('fails a turn at once with the given error when Redis cannot be reached, says why, and shares one connection per URL and password', async function () {
    const a = shared();
    const b = shared();
    assert.equal(a.connection, b.connection);
    const wrong = shared('not-the-password');
    assert.notEqual(wrong.connection, a.connection);
    // Down, and why: the reason the config node logs once (never the password).
    await until(() => wrong.reason !== undefined && !wrong.connection.connecting, { message: 'the wrong password to be refused' });
    assert.equal(wrong.connection.up, false);
    assert.match(wrong.reason, /WRONGPASS|invalid username-password/i);
    assert.ok(!wrong.reason.includes('not-the-password'));
    await up(a);
    const budget = a.budget(60);
    await budget.take();
    await redis.stop();
    try {
      await until(() => !a.connection.up, { message: 'the connection to go down' });
      await assert.rejects(budget.take(), { code: 'COMET_SHARED_UNAVAILABLE' });
    } finally {
      await redis.start();
    }
    await up(a);
  });

  it('tells a client node-redis cannot make as Redis down, with its reason, and no unhandled rejection', async function () {
    const rejections = [];
    const hear = (err) => rejections.push(err);
    process.on('unhandledRejection', hear);
    try {
      // Past isRedisUrl (as the config node checks it), a URL node-redis still refuses: made here directly.
      const made = new Shared({ url: `${redis.url}/not-a-database`, password: undefined, restRoot: REST_ROOT, apiKey: API_KEY, unavailable: () => Object.assign(new Error('redis down'), { code: 'COMET_SHARED_UNAVAILABLE' }) });
      open.push(made);
      await until(() => !made.connection.up && !made.connection.connecting, { message: 'the connection to be down' });
      assert.ok(made.reason, 'a reason to log');
      await assert.rejects(made.budget(60).take(), { code: 'COMET_SHARED_UNAVAILABLE' });
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', hear);
    }
  });

  it('closes the connection with its last user', async function () {
    const a = shared();
    const b = shared();
    await up(a);
    await a.close();
    assert.equal(b.connection.up, true, 'b still uses it');
    await b.close();
    assert.equal(b.connection.up, false);
    open.length = 0;
  });

  it('names every key by hashes: neither the API key nor the node id is in Redis', async function () {
    const keys = Object.entries(await dumpKeys(redis));
    assert.ok(keys.length > 0);
    for (const [key, value] of keys) {
      assert.match(key, /^node-red-comet:(budget|node):[0-9a-f]{32}/);
      assert.ok(![API_KEY, 'node-1', 'node-2'].some((secret) => key.includes(secret) || String(value).includes(secret)), key);
    }
  });
});
