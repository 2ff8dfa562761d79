'use strict';
// comet-webhook-in with a config node that names a Redis: a delivery is sent
// once in all, even when it comes again to a fresh runtime (as Comet retrying
// to the other copy of the flow would), because each msg is claimed in Redis
// by its eventId before it goes.
const assert = require('node:assert/strict');
const { helper, load, useNodeRed, configNode } = require('../helpers/runtime');
const { captureHttpNode, serveHttpNode, post } = require('./http-node');
const { haveRedis, startRedis, redisClient } = require('../helpers/redis');
const { statusSpy } = require('../helpers/status');
const { until } = require('../helpers/wait');

const BODY = { workspaceName: 'ml-team', registryModelName: 'churn-model', version: '1.2.0', stages: ['production'] };

describe('comet-webhook-in with a Redis', function () {
  this.timeout(20000);
  let redis;
  let served;

  before(async function () {
    if (!haveRedis()) throw new Error('redis-server is missing: scripts/test-all.sh installs it (apt-get install redis-server)');
    redis = await startRedis();
  });
  after(() => redis?.remove());
  useNodeRed({ httpServer: false });
  beforeEach(async () => {
    served = await serveHttpNode();
  });
  afterEach(() => served.close());

  /** A runtime with the hook on a config that names the Redis; resolves with the msgs its output gets. */
  async function started() {
    const flow = [
      { id: 'tab', type: 'tab' },
      { ...configNode({ url: 'http://127.0.0.1:1' }), redisUrl: redis.url },
      { id: 'hook', type: 'comet-webhook-in', z: 'tab', path: '/comet/registry', server: 'cfg', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'tab', wires: [] },
    ];
    await load(flow, { cfg: { apiKey: 'sample-key', redisPassword: redis.password } }, [captureHttpNode]);
    const out = [];
    helper.getNode('out').on('input', (msg) => out.push(msg));
    return { out, status: statusSpy(helper.getNode('hook')) };
  }

  it('sends a delivery once, even when Comet sends it again to another runtime', async function () {
    let { out } = await started();
    assert.equal((await post(`${served.base}/comet/registry`, BODY)).status, 200);
    await until(() => out.length === 1, { message: 'the msg' });
    assert.equal(typeof out[0].eventId, 'string');
    // Kept for a retry, not for a day: the same body later (a version put in production again) is a change to send.
    const client = await redisClient(redis);
    try {
      const claims = [];
      for await (const keys of client.scanIterator({ MATCH: 'node-red-comet:node:*:claim:*' })) claims.push(...[].concat(keys));
      assert.equal(claims.length, 1);
      const ttl = await client.pTTL(claims[0]);
      assert.ok(ttl > 0 && ttl <= 10 * 60 * 1000, `claim kept ${ttl} ms`);
    } finally {
      await client.close();
    }

    // A fresh runtime (the other copy, which Comet's retry reaches) remembers nothing of the first: only Redis does.
    await helper.unload();
    await served.close();
    served = await serveHttpNode();
    let status;
    ({ out, status } = await started());
    assert.equal((await post(`${served.base}/comet/registry`, BODY)).status, 200);
    await status.until((shown) => shown.text === 'repeat dropped');
    assert.equal(out.length, 0);
    // Another change goes, once.
    assert.equal((await post(`${served.base}/comet/registry`, { ...BODY, version: '1.1.0' })).status, 200);
    await until(() => out.length === 1, { message: 'the other change' });
  });

  it('while Redis cannot be asked, answers 503 so that Comet sends again, and sends nothing; the delivery sent again goes once', async function () {
    const { out, status } = await started();
    await redis.stop();
    const refused = await post(`${served.base}/comet/registry`, BODY);
    assert.equal(refused.status, 503);
    await status.until((shown) => shown.text === 'paused: Redis unreachable');
    assert.equal(out.length, 0);
    await redis.start();
    // Comet's retry: answered 200 once Redis answers, and the change sent once.
    await until(async () => (await post(`${served.base}/comet/registry`, BODY)).status === 200, { timeout: 15000, message: 'a 200 once Redis is back' });
    await until(() => out.length === 1, { message: 'the msg' });
    assert.equal((await post(`${served.base}/comet/registry`, BODY)).status, 200);
    await status.until((shown) => shown.text === 'repeat dropped');
    assert.equal(out.length, 1);
  });
});
