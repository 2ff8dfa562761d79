'use strict';
// The comet-config node: where its key, server and workspace come from, its
// tuning, the editor's "Test connection" endpoint, and its pool on close.
const assert = require('node:assert/strict');
const { createSampleServer } = require('../../sample-server');
const { helper, SAMPLE_KEY, configNode, load, useNodeRed } = require('../helpers/runtime');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');
const { useSampleServer } = require('../helpers/sample-server');
const { useCleanEnv } = require('../helpers/env');
const { until } = require('../helpers/wait');
const { resourcesNow, leftSince } = require('../helpers/leaks');

const ENV_NAMES = ['COMET_API_KEY', 'COMET_WORKSPACE', 'COMET_URL_OVERRIDE', 'MY_COMET_KEY'];

describe('comet-config', function () {
  const ctx = useSampleServer();
  useNodeRed();
  useCleanEnv(ENV_NAMES);
  let server, experimentKey;
  beforeEach(() => ({ server, experimentKey } = ctx));

  /** Loads config `config` (+ credentials) with a metadata node, sends `count` msgs, and returns the record. */
  async function run(config, credentials, count = 1, operation = 'metadata') {
    await load(flowAround({ type: 'comet-get-experiment', operation }, [config]), credentials);
    const outcomes = recordOutcomes();
    outcomes.inject(count, () => ({ experimentKey }));
    await outcomes.settled(count);
    assert.deepEqual(outcomes.problems(count), []);
    return outcomes;
  }

  describe('credentials and environment', function () {
    it('uses the apiKey credential, sent as the Authorization header', async function () {
      const { sent } = await run(configNode(server), { cfg: { apiKey: SAMPLE_KEY } });
      assert.equal(sent[0].payload.experimentKey, experimentKey);
      assert.equal(server.requests[0].headers.authorization, SAMPLE_KEY);
    });

    it('a blank key falls back to COMET_API_KEY', async function () {
      process.env.COMET_API_KEY = SAMPLE_KEY;
      const { sent } = await run(configNode(server), { cfg: { apiKey: '' } });
      assert.equal(sent.length, 1);
      assert.equal(server.requests[0].headers.authorization, SAMPLE_KEY);
    });

    it('with no credentials at all, COMET_API_KEY too', async function () {
      process.env.COMET_API_KEY = SAMPLE_KEY;
      const { sent } = await run(configNode(server), {});
      assert.equal(sent.length, 1);
    });

    it('a ${VAR} key reads that environment variable', async function () {
      process.env.MY_COMET_KEY = SAMPLE_KEY;
      process.env.COMET_API_KEY = 'not-this-one';
      const { sent } = await run(configNode(server), { cfg: { apiKey: '${MY_COMET_KEY}' } });
      assert.equal(sent.length, 1);
      assert.equal(server.requests[0].headers.authorization, SAMPLE_KEY);
    });

    it('no key anywhere: each msg fails clearly (naming the config node), the deploy does not', async function () {
      const { caught } = await run(configNode(server, { name: 'team comet' }), {}, 2);
      assert.equal(caught.length, 2);
      assert.equal(caught[0].error.code, 'COMET_NO_API_KEY');
      assert.match(caught[0].error.message, /config node "team comet"/);
      assert.match(caught[0].error.message, /COMET_API_KEY/);
      assert.equal(server.requests.length, 0);
    });

    it('a blank server falls back to COMET_URL_OVERRIDE (in its usual /clientlib/ form)', async function () {
      process.env.COMET_URL_OVERRIDE = `${server.url}/clientlib/`;
      const { sent } = await run({ ...configNode(server), baseUrl: '' }, { cfg: { apiKey: SAMPLE_KEY } });
      assert.equal(sent.length, 1);
      assert.equal(server.requests.length, 1);
    });

    it('a key naming its server is used when the server is left at the default', async function () {
      const apiKey = `${SAMPLE_KEY}*${Buffer.from(JSON.stringify({ baseUrl: server.url })).toString('base64')}`;
      const { sent } = await run({ ...configNode(server), baseUrl: 'https://www.comet.com' }, { cfg: { apiKey } });
      assert.equal(sent.length, 1);
      assert.equal(server.requests[0].headers.authorization, apiKey);
    });

    it('a blank workspace falls back to COMET_WORKSPACE; a set one wins', async function () {
      process.env.COMET_WORKSPACE = 'from-env';
      await load([configNode(server, { id: 'blank', workspace: '' }), configNode(server, { id: 'set', workspace: 'ml-team' })], {});
      assert.equal(helper.getNode('blank').workspace, 'from-env');
      assert.equal(helper.getNode('set').workspace, 'ml-team');
    });

    it('a server URL that is not a URL fails each msg with a clear bad-input error', async function () {
      const { caught } = await run({ ...configNode(server), baseUrl: 'not a url' }, { cfg: { apiKey: SAMPLE_KEY } });
      assert.equal(caught[0].error.code, 'COMET_BAD_INPUT');
      assert.match(caught[0].error.message, /"not a url"/);
    });
  });

  describe('tuning', function () {
    it('concurrency caps requests at the server', async function () {
      server.fault('experiment/metadata', { delayMs: 20, times: Infinity });
      await run(configNode(server, { concurrency: 2 }), undefined, 12);
      assert.equal(server.maxInFlight, 2);
    });

    it('retries sets the retry budget (0: one request)', async function () {
      server.fault('experiment/metadata', { status: 503, times: Infinity });
      const { caught } = await run(configNode(server, { retries: 0 }), undefined);
      assert.equal(caught[0].error.code, 'COMET_SERVER_ERROR');
      assert.equal(server.requests.length, 1);
    });

    it('timeout is in seconds', async function () {
      server.fault('experiment/metadata', { hang: true, times: Infinity });
      const { caught } = await run(configNode(server, { timeout: 0.2, retries: 0 }), undefined);
      assert.equal(caught[0].error.code, 'COMET_TIMEOUT');
      assert.match(caught[0].error.message, /within 0\.2 s/);
    });
  });

  describe('POST /comet-config/test', function () {
    async function test(body) {
      const res = await helper.request().post('/comet-config/test').send(body).expect(200);
      assert.ok(!JSON.stringify(res.body).includes(SAMPLE_KEY), 'the answer never holds the key');
      return res.body;
    }

    beforeEach(async function () {
      await load([configNode(server, { id: 'saved' })], { saved: { apiKey: SAMPLE_KEY } });
    });

    it('answers the user name and default workspace for a good key', async function () {
      const answer = await test({ baseUrl: server.url, apiKey: SAMPLE_KEY });
      assert.deepEqual(answer, { ok: true, userName: 'ada', defaultWorkspaceName: 'ml-team', restRoot: server.restRoot });
      assert.equal(server.requests.at(-1).path, 'account-details');
    });

    it('says why a bad key failed, without retrying', async function () {
      const answer = await test({ name: 'my comet', baseUrl: server.url, apiKey: 'wrong-key' });
      assert.equal(answer.ok, false);
      assert.equal(answer.code, 'COMET_KEY_REJECTED');
      assert.match(answer.message, /config node "my comet"/);
      assert.ok(!answer.message.includes('wrong-key'));
      assert.equal(server.requests.length, 1);
    });

    it('the hidden saved key (__PWRD__) is read from the deployed node', async function () {
      const answer = await test({ id: 'saved', baseUrl: server.url, apiKey: '__PWRD__' });
      assert.equal(answer.ok, true);
      assert.equal(server.requests.at(-1).headers.authorization, SAMPLE_KEY);
    });

    it('a blank key of a deployed node is its saved key', async function () {
      assert.equal((await test({ id: 'saved', baseUrl: server.url, apiKey: '' })).ok, true);
    });

    it('an unsaved node with a blank key uses COMET_API_KEY, else says no key', async function () {
      const none = await test({ id: 'unsaved', baseUrl: server.url, apiKey: '' });
      assert.equal(none.code, 'COMET_NO_API_KEY');
      process.env.COMET_API_KEY = SAMPLE_KEY;
      assert.equal((await test({ id: 'unsaved', baseUrl: server.url, apiKey: '' })).ok, true);
    });

    it('tests the unsaved server, not the deployed one, with the key typed in the dialog', async function () {
      const other = await createSampleServer({ pathPrefix: '/comet' });
      try {
        const answer = await test({ id: 'saved', baseUrl: `${other.url}/comet/clientlib/`, apiKey: SAMPLE_KEY });
        assert.equal(answer.restRoot, other.restRoot);
        assert.equal(other.requests.length, 1);
        assert.equal(server.requests.length, 0);
      } finally {
        await other.close();
      }
    });

    it('never sends the saved key to a server other than the deployed one: it asks for the key to be typed', async function () {
      const other = await createSampleServer({ pathPrefix: '/comet' });
      try {
        for (const apiKey of ['__PWRD__', '']) {
          const answer = await test({ id: 'saved', baseUrl: `${other.url}/comet/clientlib/`, apiKey });
          assert.equal(answer.ok, false);
          assert.equal(answer.code, 'COMET_BAD_INPUT');
          assert.match(answer.message, /type the API key to test it there/);
          assert.ok(answer.message.includes(new URL(other.url).host), answer.message);
        }
        assert.equal(other.requests.length, 0);
        assert.equal(server.requests.length, 0);
        // The deployed server in another spelling (its /clientlib/ form) is the same server: the saved key is used.
        assert.equal((await test({ id: 'saved', baseUrl: `${server.url}/clientlib/`, apiKey: '__PWRD__' })).ok, true);
      } finally {
        await other.close();
      }
    });

    it('names host and port when nothing answers there', async function () {
      const gone = await createSampleServer();
      const url = gone.url;
      await gone.close();
      const answer = await test({ baseUrl: url, apiKey: SAMPLE_KEY });
      assert.equal(answer.ok, false);
      assert.equal(answer.code, 'COMET_NETWORK');
      assert.ok(answer.message.includes(url.replace('http://', '')), answer.message);
    });

    it('a bad server URL is a clear failure, not a crash', async function () {
      const answer = await test({ baseUrl: 'ftp://nowhere', apiKey: SAMPLE_KEY });
      assert.equal(answer.ok, false);
      assert.equal(answer.code, 'COMET_BAD_INPUT');
    });

    it('leaves no connection open', async function () {
      const before = await resourcesNow();
      await test({ baseUrl: server.url, apiKey: SAMPLE_KEY });
      await until(() => server.inFlight === 0, { message: 'the server to finish' });
      assert.deepEqual(await leftSince(before), {});
    });
  });

  it('closing the config node closes its pool', async function () {
    const before = await resourcesNow();
    await run(configNode(server, { concurrency: 4 }), undefined, 8);
    await helper.unload();
    await until(() => server.inFlight === 0, { message: 'the server to see the connections close' });
    assert.deepEqual(await leftSince(before), {});
  });
});
