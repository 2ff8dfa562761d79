'use strict';
// The API key never leaks: a canary key drives successes and every kind of
// failure, and every place a person or another host can see is searched for it.
const assert = require('node:assert/strict');
const net = require('node:net');
const util = require('node:util');
const { helper, configNode } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { until } = require('../helpers/wait');
const { recordOutcomes } = require('../helpers/outcomes');
const { useRig, coreNode } = require('./rig');
const { section } = require('./matrix');

const row = section(__filename, 'Secrets');

const CANARY = 'canary-key-7f3a9c1e5b2d4a60';
const REVOKED_CANARY = 'canary-revoked-0c9d8e7f6a5b';

describe('reliability: secrets', function () {
  this.timeout(30_000);
  const rig = useRig();
  const ctx = useSampleServer({ apiKeys: { [CANARY]: { userName: 'ada', defaultWorkspaceName: 'ml-team' } } });
  let server;
  let refusedPort;
  beforeEach(() => ({ server } = ctx));
  before(async function () {
    const probe = net.createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    refusedPort = probe.address().port;
    await new Promise((resolve) => probe.close(resolve));
  });

  /** Everything a person or another host can see, gathered while a flow runs. */
  function watchSurfaces() {
    const { sent, caught } = recordOutcomes(null);
    const seen = { log: [], statuses: [], debug: [], caught, sent };
    helper._RED.log.init({
      logging: {
        console: { level: 'off' },
        capture: { level: 'trace', metrics: true, audit: true, handler: () => (entry) => seen.log.push(entry) },
      },
    });
    const onStatus = (event) => seen.statuses.push(event);
    const onComms = (event) => event.topic === 'debug' && seen.debug.push(event.data);
    helper._events.on('node-status', onStatus);
    helper._events.on('comms', onComms);
    seen.stop = () => {
      helper._events.off('node-status', onStatus);
      helper._events.off('comms', onComms);
      helper._RED.log.init({ logging: { console: { level: 'off' } } });
    };
    return seen;
  }

  /** Where `secret` shows up among `places` ({ name: anything }), by name. */
  function leaks(secret, places) {
    return Object.entries(places)
      .filter(([, value]) => util.inspect(value, { depth: 12, maxArrayLength: null, maxStringLength: null }).includes(secret))
      .map(([name]) => name);
  }

  row(
    'a canary API key through successes and every kind of failure',
    'the key appears in no log line at trace level (with metrics and audit), node status, msg.error or error text, exported flow, debug sidebar message, test-connection answer, editor lookup answer, or request to the storage host',
    async () => {
      const experimentKey = Object.keys(server.data.experiments)[0];
      const withRedirect = Object.values(server.data.experiments).find((e) => e.assets.some((a) => a.redirect));
      const remote = withRedirect.assets.find((a) => a.redirect);
      const flow = [
        configNode(server, { id: 'good', name: 'canary config', retries: 1, timeout: 0.3 }),
        configNode(server, { id: 'revoked', name: 'revoked config', retries: 1 }),
        { ...configNode(server, { id: 'nowhere', name: 'refused config', retries: 0 }), baseUrl: `http://127.0.0.1:${refusedPort}` },
        { id: 'ok', type: 'comet-get-experiment', server: 'good', operation: 'metadata', wires: [['out', 'dbg']] },
        { id: 'missing', type: 'comet-get-experiment', server: 'good', operation: 'metadata', wires: [['out', 'dbg']] },
        { id: 'limited', type: 'comet-get-experiment', server: 'good', operation: 'metadata', wires: [['out', 'dbg']] },
        { id: 'slow', type: 'comet-get-experiment', server: 'good', operation: 'metadata', wires: [['out', 'dbg']] },
        { id: 'refused', type: 'comet-get-experiment', server: 'nowhere', operation: 'metadata', wires: [['out', 'dbg']] },
        // No Catch node covers this one: its failure goes to the log.
        { id: 'rejected', type: 'comet-get-experiment', server: 'revoked', operation: 'metadata', wires: [['out', 'dbg']] },
        { id: 'hooks', type: 'comet-get-webhook-config', server: 'good', operation: 'config', wires: [['out', 'dbg']] },
        { id: 'fetch', type: 'comet-download-model', server: 'good', operation: 'asset', output: 'buffer', wires: [['out', 'dbg']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: ['ok', 'missing', 'limited', 'slow', 'refused', 'hooks', 'fetch'], uncaught: false, wires: [['caught', 'dbg']] },
        { id: 'caught', type: 'helper' },
        { id: 'dbg', type: 'debug', active: true, tosidebar: true, console: false, tostatus: false, complete: 'true', targetType: 'full', wires: [] },
      ];
      await rig.deploy(flow, { good: { apiKey: CANARY }, revoked: { apiKey: REVOKED_CANARY }, nowhere: { apiKey: CANARY } }, [coreNode('common/21-debug.js')]);
      const seen = watchSurfaces();
      try {
        server.fault((req) => req.query.experimentKey === 'throttled', { status: 429, headers: { 'Retry-After': '0' }, times: Infinity });
        server.fault((req) => req.query.experimentKey === 'hanging', { hang: true, times: Infinity });
        helper.getNode('ok').receive({ experimentKey });
        helper.getNode('missing').receive({ experimentKey: 'no-such-key' });
        helper.getNode('limited').receive({ experimentKey: 'throttled' });
        helper.getNode('slow').receive({ experimentKey: 'hanging' });
        helper.getNode('refused').receive({ experimentKey });
        helper.getNode('rejected').receive({ experimentKey });
        helper.getNode('hooks').receive({ workspace: 'ml-team' });
        helper.getNode('fetch').receive({ experimentKey: withRedirect.experimentKey, assetId: remote.assetId });
        const expected = 7;
        await until(() => seen.sent.length + seen.caught.length >= expected, { timeout: 20_000, message: `${expected} msgs out` });
        await until(() => seen.log.some((entry) => entry.id === 'rejected' && entry.level === 20), { message: 'the uncaught failure in the log' });

        const good = await helper.request().post('/comet-config/test').send({ baseUrl: server.url, apiKey: CANARY });
        const bad = await helper.request().post('/comet-config/test').send({ baseUrl: server.url, apiKey: REVOKED_CANARY });
        const saved = await helper.request().post('/comet-config/test').send({ id: 'good', baseUrl: server.url, apiKey: '__PWRD__' });
        assert.equal(good.body.ok, true);
        assert.equal(bad.body.ok, false);
        assert.equal(saved.body.ok, true);
        const suggested = await helper.request().get('/comet-config/good/lookup/experiments').query({ projectName: 'churn' });
        const refusedLookup = await helper.request().get('/comet-config/revoked/lookup/workspaces');
        assert.equal(suggested.status, 200);
        assert.equal(refusedLookup.body.code, 'COMET_KEY_REJECTED');

        // The surfaces were exercised: what each should hold is there.
        assert.equal(seen.sent.length, 3);
        assert.equal(seen.caught.length, 4);
        assert.ok(seen.debug.length >= expected);
        assert.ok(seen.statuses.some((s) => s.status && s.status.fill === 'red'));
        assert.equal(server.storage.requests.length, 1);
        const hooks = seen.sent.find((msg) => msg.payload && msg.payload.webhookUrls);
        assert.equal(hooks.payload.webhookUrls[0].header.Authorization, 'secret_token', 'the user asked for the headers: they are in msg.payload');

        const places = {
          'log (trace, metrics, audit)': seen.log,
          'node status': seen.statuses,
          'debug sidebar': seen.debug,
          'msg.error of caught msgs': seen.caught.map((msg) => msg.error),
          'error texts': seen.caught.map((msg) => `${msg.error.message} ${msg.error.stack}`),
          'msgs sent on': seen.sent,
          'exported flows': helper._redNodes.getFlows(),
          'test-connection answers': [good.body, bad.body, saved.body],
          'editor lookup answers': [suggested.body, refusedLookup.body],
          'requests to the storage host': server.storage.requests,
        };
        for (const secret of [CANARY, REVOKED_CANARY]) assert.deepEqual(leaks(secret, places), [], `${secret} leaked`);
        // The webhook's header values are the user's answer, not something to show about it.
        const { 'msgs sent on': payloads, 'debug sidebar': sidebar, ...shown } = places;
        assert.deepEqual(leaks('secret_token', shown), [], 'webhook header value outside msg.payload');
        assert.ok(leaks('secret_token', { payloads, sidebar }).length === 2, 'the header values are in the payload (and so in the debug sidebar)');
        // The key did reach Comet, as the Authorization header: the search finds it where it is.
        assert.deepEqual(leaks(CANARY, { 'requests to Comet': server.requests }), ['requests to Comet']);
      } finally {
        seen.stop();
      }
      await rig.finish([server]);
      return `searched the outcomes of 8 msgs, the trace log, statuses, debug sidebar, flows, 3 test-connection answers, 2 editor lookup answers, 1 storage request: the canary appears nowhere; the webhook header value only in msg.payload (and the debug sidebar that shows it)`;
    },
  );

  row('the client and its errors, inspected', 'util.inspect of a CometClient or a CometError (as a careless log would do) shows no key', async () => {
    const { CometClient } = require('../../nodes/client/client');
    const { catalogTranslate } = require('../../nodes/node-red/i18n');
    const client = new CometClient({ server: server.url, apiKey: CANARY, label: 'inspect', retries: 0, t: catalogTranslate() });
    try {
      const err = await client.json({ endpoint: 'x', method: 'GET', path: 'experiment/metadata', query: { experimentKey: 'nope' } }).catch((e) => e);
      assert.equal(err.code, 'COMET_NOT_FOUND');
      assert.deepEqual(leaks(CANARY, { client, error: err }), []);
      assert.ok(!JSON.stringify({ ...client }).includes(CANARY));
    } finally {
      await client.close();
    }
    await rig.finish([server]);
    return 'util.inspect and JSON of the client and of a CometError hold no key';
  });
});
