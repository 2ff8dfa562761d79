'use strict';
// Two Node-RED processes with the same flows and one Redis (a config node's
// redisUrl), against the sample Comet server: a model watch, an experiment
// watch, and a push of msgs through comet-request, each reporting to a
// collector here. Each change must come out once in all, a SIGKILLed poller
// must be replaced within two intervals, the `rate` budget must hold for
// both together, a restart of Redis must lose nothing, and Redis must never
// hold the API key. The rows go to docs/reliability.md (zz-document); the
// timings, which change from run to run, to .tmp/two-processes.json.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { createSampleServer } = require('../../sample-server');
const { makeUserDir, linkPackage, writeSettings, startNodeRed, freePort } = require('../../scripts/lib/node-red');
const { haveRedis, startRedis, dumpKeys, redisClient } = require('../helpers/redis');
const { until } = require('../helpers/wait');
const { section } = require('./matrix');

const row = section(__filename, 'More than one Node-RED (two processes, one Redis)');

/** Timings of this run, for the README's figures: .tmp/two-processes.json. */
const FIGURES = path.join(__dirname, '..', '..', '.tmp', 'two-processes.json');
function record(name, value) {
  const figures = fs.existsSync(FIGURES) ? JSON.parse(fs.readFileSync(FIGURES, 'utf8')) : {};
  fs.mkdirSync(path.dirname(FIGURES), { recursive: true });
  fs.writeFileSync(FIGURES, JSON.stringify({ ...figures, [name]: value }, null, 2));
}

const WS = 'ml-team';
const MODEL = 'churn-model';
const PROJECT = 'churn';
const API_KEY = 'sample-key';
const INTERVAL_S = 2;
/** The budget of the push, scaled from 120 a minute so 2 x 200 msgs take seconds, not minutes. */
const RATE_PER_MINUTE = 3000;
const PUSH = 200;
/** The burst allowed above the budget's share of any stretch of time: 0.3 s worth. */
const BURST = (0.3 * RATE_PER_MINUTE) / 60;

/** Receives what the flows report: { proc, kind: 'change' | 'pushed' | 'failed', ... }, with when it came. */
async function startCollector() {
  const got = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      got.push({ ...JSON.parse(body), at: Date.now() });
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { got, url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

function flows({ sample, redis, collector }) {
  const report = (fields) => ({ type: 'function', z: 'tab', x: 0, y: 0, func: `msg.payload = Object.assign({ proc: env.get('COMET_TEST_PROC') }, ${fields}); return msg;`, wires: [['post']] });
  return [
    { id: 'tab', type: 'tab' },
    { id: 'cfg', type: 'comet-config', name: 'sample', baseUrl: sample.url, workspace: WS, rate: String(RATE_PER_MINUTE), redisUrl: redis.url, concurrency: '', timeout: '', retries: '' },
    { id: 'mw', type: 'comet-model-watch', z: 'tab', x: 0, y: 0, server: 'cfg', workspace: WS, modelName: MODEL, interval: String(INTERVAL_S), wires: [['change']] },
    { id: 'ew', type: 'comet-experiment-watch', z: 'tab', x: 0, y: 0, server: 'cfg', workspace: WS, projectName: PROJECT, interval: String(INTERVAL_S), wires: [['change']] },
    { id: 'change', ...report("{ kind: 'change', eventId: msg.eventId, topic: msg.topic, event: msg.payload.event, stage: msg.payload.stage || '' }") },
    { id: 'push', type: 'inject', z: 'tab', x: 0, y: 0, payload: '', payloadType: 'date', repeat: '', once: false, wires: [['fan']] },
    { id: 'fan', type: 'function', z: 'tab', x: 0, y: 0, func: `for (let i = 0; i < ${PUSH}; i++) node.send({ payload: i }); return null;`, wires: [['req']] },
    { id: 'req', type: 'comet-request', z: 'tab', x: 0, y: 0, server: 'cfg', method: 'GET', path: 'account-details', wires: [['pushed']] },
    { id: 'pushed', ...report("{ kind: 'pushed' }") },
    { id: 'catch', type: 'catch', z: 'tab', x: 0, y: 0, scope: ['req'], uncaught: false, wires: [['failed']] },
    { id: 'failed', ...report("{ kind: 'failed', code: msg.error && msg.error.code }") },
    { id: 'post', type: 'http request', z: 'tab', x: 0, y: 0, method: 'POST', ret: 'txt', url: collector.url, wires: [[]] },
  ];
}

/** One Node-RED of the two: its own user dir and port, the same flows and credentials. */
async function makeProcess(name, setup) {
  const userDir = makeUserDir(`node-red-comet-ha-${name}-`);
  linkPackage(userDir);
  const port = await freePort();
  writeSettings(userDir, port, { credentialSecret: false, cometWatchMinInterval: 1 });
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows(setup), null, 2));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ cfg: { apiKey: API_KEY, redisPassword: setup.redis.password } }));
  const proc = { name, userDir, port, nodeRed: undefined, logs: [] };
  proc.start = async () => {
    proc.nodeRed = await startNodeRed({ userDir, port, env: { COMET_TEST_PROC: name } });
  };
  /** Everything it logged, this run and the ones before. */
  proc.log = () => [...proc.logs, proc.nodeRed ? proc.nodeRed.log() : ''].join('');
  proc.kill = () => {
    proc.logs.push(proc.nodeRed.log());
    const exited = new Promise((resolve) => proc.nodeRed.child.once('exit', resolve));
    proc.nodeRed.child.kill('SIGKILL');
    proc.nodeRed = undefined;
    return exited;
  };
  proc.stop = async () => {
    if (proc.nodeRed) await proc.nodeRed.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  proc.push = () => fetch(`http://127.0.0.1:${port}/inject/push`, { method: 'POST' }).then((res) => assert.equal(res.status, 200));
  return proc;
}

const count = (text, pattern) => (text.match(pattern) || []).length;

describe('two Node-RED processes sharing one Redis', function () {
  this.timeout(90000);
  let redis;
  let sample;
  let collector;
  let procs;

  before(async function () {
    if (!haveRedis()) throw new Error('redis-server is missing: scripts/test-all.sh installs it (apt-get install redis-server)');
    [redis, sample, collector] = await Promise.all([startRedis(), createSampleServer({ port: 0 }), startCollector()]);
    procs = [await makeProcess('a', { sample, redis, collector }), await makeProcess('b', { sample, redis, collector })];
    await Promise.all(procs.map((proc) => proc.start()));
    // Ready once a holder of each watch has polled and kept its first memory.
    await until(async () => Object.keys(await dumpKeys(redis)).filter((key) => key.endsWith(':memory')).length === 2, { timeout: 20000, message: 'both watches to keep their memory in Redis' });
  });

  after(async function () {
    await Promise.all((procs || []).map((proc) => proc.stop()));
    await Promise.all([redis?.remove(), sample?.close(), collector?.close()]);
  });

  const changes = () => collector.got.filter((m) => m.kind === 'change');
  const idOf = (m) => m.eventId;

  /** Asserts each change came once, with an eventId, and returns them by id. */
  function eachOnce() {
    const seen = new Map();
    for (const m of changes()) {
      assert.equal(typeof m.eventId, 'string', `every msg carries msg.eventId: ${JSON.stringify(m)}`);
      assert.ok(!seen.has(idOf(m)), `sent twice: ${JSON.stringify(m)} and ${JSON.stringify(seen.get(idOf(m)))}`);
      seen.set(idOf(m), m);
    }
    return seen;
  }

  row('20 registry changes and 10 run changes', '30 msgs across both processes, each eventId once (1.00 per change)', async function () {
    for (let i = 0; i < 10; i++) sample.registry.addVersion(WS, MODEL, `7.0.${i}`, { stages: [] });
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(sample.data.runs.start(WS, PROJECT, `ha-run-${i}`));
    await until(() => changes().length >= 15, { timeout: 15000, message: '15 msgs' });
    for (let i = 0; i < 10; i++) sample.registry.setStages(WS, MODEL, `7.0.${i}`, ['production']);
    runs.slice(0, 3).forEach((key) => sample.data.runs.finish(key));
    runs.slice(3).forEach((key) => sample.data.runs.crash(key));
    await until(() => changes().length >= 30, { timeout: 15000, message: '30 msgs' });
    // A poll later (each watch has polled again since), still 30.
    const polls = sample.requests.length;
    await until(() => sample.requests.filter((r) => r.path.startsWith('registry-model')).length > 0 && sample.requests.length > polls + 4, { timeout: 15000, message: 'more polls' });
    const seen = eachOnce();
    assert.equal(seen.size, 30);
    const kinds = [...seen.values()].map((m) => m.event).sort();
    assert.equal(kinds.filter((k) => k === 'version-created').length, 10);
    assert.equal(kinds.filter((k) => k === 'stage-added').length, 10);
    assert.deepEqual(kinds.filter((k) => k.startsWith('experiment-')).sort(), [...Array(5).fill('experiment-created'), 'experiment-crashed', 'experiment-crashed', 'experiment-finished', 'experiment-finished', 'experiment-finished'].sort());
    return `${seen.size} msgs for 30 changes (${(seen.size / 30).toFixed(2)} per change), each eventId once`;
  });

  row('SIGKILL the polling process in the middle of 6 changes', `the other takes over within two intervals (${2 * INTERVAL_S} s); 6 msgs, each once`, async function () {
    const before = changes().length;
    const holder = procs.find((proc) => proc.name === changes().filter((m) => m.topic.startsWith(MODEL)).at(-1).proc);
    const other = procs.find((proc) => proc !== holder);
    // Changes the holder may or may not have seen when it dies, then changes only the other can see.
    for (let i = 0; i < 3; i++) sample.registry.addVersion(WS, MODEL, `8.0.${i}`, { stages: [] });
    const killedAt = Date.now();
    await holder.kill();
    for (let i = 3; i < 6; i++) sample.registry.addVersion(WS, MODEL, `8.0.${i}`, { stages: [] });
    await until(() => changes().filter((m) => m.topic === `${MODEL}/8.0.5`).length > 0, { timeout: 4 * INTERVAL_S * 1000, message: 'the other process to send the change made after the kill' });
    const takeover = changes().find((m) => m.at > killedAt && m.proc === other.name && m.topic.startsWith(`${MODEL}/8.0.`)).at - killedAt;
    await until(() => changes().length >= before + 6, { timeout: 10000, message: '6 msgs' });
    const sent = [...eachOnce().values()].filter((m) => m.topic.startsWith(`${MODEL}/8.0.`));
    assert.deepEqual(sent.map((m) => m.topic).sort(), [0, 1, 2, 3, 4, 5].map((i) => `${MODEL}/8.0.${i}`));
    assert.ok(takeover <= 2 * INTERVAL_S * 1000, `took over after ${takeover} ms, more than two intervals (${2 * INTERVAL_S} s)`);
    record('failover', { takeoverMs: takeover, intervalS: INTERVAL_S });
    await holder.start();
    return `took over within two intervals; 6 msgs for 6 changes (${(sent.length / 6).toFixed(2)} per change), none lost, none twice`;
  });

  row('the polling process paused (SIGSTOP) longer than its lease, then resumed', 'the other takes over within two intervals; the paused one, resumed, finds the lease gone and sends nothing twice', async function () {
    const before = changes().length;
    const holder = procs.find((proc) => proc.name === changes().filter((m) => m.topic.startsWith(MODEL)).at(-1).proc);
    const other = procs.find((proc) => proc !== holder);
    const pausedAt = Date.now();
    holder.nodeRed.child.kill('SIGSTOP');
    try {
      for (let i = 0; i < 3; i++) sample.registry.addVersion(WS, MODEL, `8.1.${i}`, { stages: [] });
      await until(() => changes().length >= before + 3, { timeout: 4 * INTERVAL_S * 1000, message: 'the other process to send the 3 changes' });
    } finally {
      holder.nodeRed.child.kill('SIGCONT');
    }
    const takeover = changes().find((m) => m.at > pausedAt && m.topic.startsWith(`${MODEL}/8.1.`)).at - pausedAt;
    // The resumed one's timers fire at once: it polls (or would) with a lease that is no longer its, then stands by.
    for (let i = 3; i < 6; i++) sample.registry.addVersion(WS, MODEL, `8.1.${i}`, { stages: [] });
    await until(() => changes().length >= before + 6, { timeout: 10000, message: '6 msgs' });
    const sent = [...eachOnce().values()].filter((m) => m.topic.startsWith(`${MODEL}/8.1.`));
    assert.deepEqual(sent.map((m) => m.topic).sort(), [0, 1, 2, 3, 4, 5].map((i) => `${MODEL}/8.1.${i}`));
    assert.ok(sent.slice(0, 3).every((m) => m.proc === other.name));
    assert.ok(takeover <= 2 * INTERVAL_S * 1000, `took over after ${takeover} ms, more than two intervals (${2 * INTERVAL_S} s)`);
    record('pause', { takeoverMs: takeover, intervalS: INTERVAL_S });
    return `took over within two intervals; 6 msgs for 6 changes (${(sent.length / 6).toFixed(2)} per change), none twice after the resume`;
  });

  row('the poller killed after keeping a poll and before sending it (its outbox left in Redis, one msg of it claimed already)', 'the next holder sends the msg not sent, and not the one sent', async function () {
    const holder = procs.find((proc) => proc.name === changes().filter((m) => m.topic.startsWith(MODEL)).at(-1).proc);
    const other = procs.find((proc) => proc !== holder);
    await holder.kill();
    // What the dead holder left, as its last poll would have: the memory with an outbox of two msgs, the first claimed (sent).
    const client = await redisClient(redis);
    try {
      const memoryKey = Object.entries(await dumpKeys(redis)).find(([key, value]) => key.endsWith(':memory') && value.includes(`"${MODEL}"`))[0];
      const left = (n) => ({ eventId: `crash-left-${n}`, topic: `${MODEL}/9.9.${n}`, payload: { event: 'version-created', version: `9.9.${n}` } });
      const memory = JSON.parse(await client.get(memoryKey));
      await client.set(memoryKey, JSON.stringify({ ...memory, outbox: [left(1), left(2)] }));
      const claimKey = `${memoryKey.slice(0, -':memory'.length)}:claim:${crypto.createHash('sha256').update('crash-left-1').update('\0').digest('hex').slice(0, 32)}`;
      await client.set(claimKey, '1');
      await until(() => changes().some((m) => m.eventId === 'crash-left-2'), { timeout: 4 * INTERVAL_S * 1000, message: 'the next holder to send the msg left unsent' });
      // Handed on: the outbox is emptied, with the claimed msg not sent.
      await until(async () => !JSON.parse(await client.get(memoryKey)).outbox, { message: 'the outbox to be emptied' });
    } finally {
      await client.close();
    }
    const left = changes().filter((m) => m.eventId.startsWith('crash-left-'));
    assert.deepEqual(left.map((m) => [m.eventId, m.proc]), [['crash-left-2', other.name]]);
    eachOnce();
    await holder.start();
    return 'the msg left unsent sent once, by the next holder; the one claimed before the crash not sent again';
  });

  row('Redis stopped and started again in the middle', 'watches pause (one log line each), msgs fail with COMET_SHARED_UNAVAILABLE and none goes out; after the restart the 3 changes made meanwhile, each once', async function () {
    const before = changes().length;
    await redis.stop();
    await until(() => procs.every((proc) => /Redis at redis:\/\/127\.0\.0\.1:\d+ \(config node "sample"\) cannot be reached/.test(proc.log())), { timeout: 10000, message: 'both processes to log that Redis is out of reach' });
    for (let i = 0; i < 3; i++) sample.registry.addVersion(WS, MODEL, `9.0.${i}`, { stages: [] });
    // A msg that needs the shared budget fails with a clear error; none goes out unbudgeted.
    const pushed = sample.requests.filter((r) => r.path === 'account-details').length;
    await procs[0].push();
    await until(() => collector.got.filter((m) => m.kind === 'failed').length === PUSH, { timeout: 10000, message: `${PUSH} failed msgs` });
    assert.deepEqual([...new Set(collector.got.filter((m) => m.kind === 'failed').map((m) => m.code))], ['COMET_SHARED_UNAVAILABLE']);
    assert.equal(sample.requests.filter((r) => r.path === 'account-details').length, pushed, 'no request went out while the budget could not be taken');
    assert.equal(changes().length, before, 'no watch sent while Redis was down');
    const downFor = Date.now();
    await redis.start();
    await until(() => changes().length >= before + 3, { timeout: 15000, message: 'the 3 changes made while Redis was down' });
    const resumedMs = Date.now() - downFor;
    eachOnce();
    await until(() => procs.every((proc) => /is reachable again/.test(proc.log())), { timeout: 10000, message: 'both processes to log that Redis is back' });
    for (const proc of procs) {
      assert.equal(count(proc.log(), /cannot be reached/g), 1, `${proc.name} logs the outage once`);
      assert.equal(count(proc.log(), /is reachable again/g), 1, `${proc.name} logs the return once`);
    }
    record('redisRestart', { resumedMs });
    collector.got.splice(0, collector.got.length, ...collector.got.filter((m) => m.kind !== 'failed'));
    return `paused, one log line each when Redis went and came back; ${PUSH} msgs caught COMET_SHARED_UNAVAILABLE, 0 requests; 3 msgs for 3 changes (1.00 per change)`;
  });

  row(`\`rate\` ${RATE_PER_MINUTE} a minute (120 scaled up 25 times), both processes pushing ${PUSH} msgs`, `one budget: in any stretch of time the server sees at most ${RATE_PER_MINUTE / 60} requests a second, plus one burst of ${BURST}; all ${2 * PUSH} msgs answered`, async function () {
    const from = Date.now();
    await Promise.all(procs.map((proc) => proc.push()));
    await until(() => collector.got.filter((m) => m.kind === 'pushed').length === 2 * PUSH, { timeout: 30000, message: `${2 * PUSH} msgs answered` });
    assert.equal(collector.got.filter((m) => m.kind === 'failed').length, 0);
    assert.deepEqual(new Set(collector.got.filter((m) => m.kind === 'pushed').map((m) => m.proc)), new Set(['a', 'b']));
    // Every request of the key counts (the watches' polls too).
    const times = sample.requests.filter((r) => r.at >= from).map((r) => r.at).sort((x, y) => x - y);
    const perSecond = RATE_PER_MINUTE / 60;
    // Within the budget, one burst allowed: however long a stretch of time, the requests in it are at most
    // its share of the budget plus one burst (BURST: turns that reach the server late on a busy machine bunch).
    // Two processes each with a budget of their own would send about twice their share.
    let burst = 0;
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) burst = Math.max(burst, j - i + 1 - (perSecond * (times[j] - times[i])) / 1000);
    }
    const overall = (times.length - 1) / ((times.at(-1) - times[0]) / 1000);
    assert.ok(burst <= BURST, `a burst of ${burst.toFixed(1)} requests over the budget's share, more than ${BURST}; overall ${overall.toFixed(1)} a second, budget ${perSecond}`);
    record('budget', { perMinute: RATE_PER_MINUTE, msgs: 2 * PUSH, burst: Number(burst.toFixed(1)), overallPerSecond: Number(overall.toFixed(2)) });
    return `budget held for both together; ${2 * PUSH} of ${2 * PUSH} msgs answered, none lost`;
  });

  row('every key and value in Redis (SCAN), and both logs', 'no API key and no Redis password anywhere', async function () {
    const all = await dumpKeys(redis);
    assert.ok(Object.keys(all).length > 0);
    for (const [key, value] of Object.entries(all)) {
      assert.match(key, /^node-red-comet:/);
      for (const secret of [API_KEY, redis.password]) {
        assert.ok(!key.includes(secret) && !String(value).includes(secret), `${key} holds a secret`);
      }
    }
    for (const proc of procs) assert.ok(!proc.log().includes(redis.password) && !proc.log().includes(API_KEY), `${proc.name} logged a secret`);
    return 'every key named by hashes under node-red-comet:; no API key, no password in Redis or the logs';
  });
});
