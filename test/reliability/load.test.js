'use strict';
// Load and redeploy: thousands of msgs at once through one node, two config
// nodes side by side, and a redeploy in the middle of a thousand requests.
const assert = require('node:assert/strict');
const v8 = require('node:v8');
const vm = require('node:vm');
const { createSampleServer } = require('../../sample-server');
const { helper, SAMPLE_KEY, configNode } = require('../helpers/runtime');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');
const { useSampleServer } = require('../helpers/sample-server');
const { until } = require('../helpers/wait');
const { useRig, recordNumbers } = require('./rig');
const { section } = require('./matrix');

const row = section(__filename, 'Load and redeploy');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

function heapMb() {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const metadata = { type: 'comet-get-experiment', operation: 'metadata' };

describe('reliability: load and redeploy', function () {
  this.timeout(180_000);
  const rig = useRig();
  const ctx = useSampleServer();
  let server, experimentKey;
  beforeEach(() => ({ server, experimentKey } = ctx));

  row(
    'redeploy while 100 requests are in flight and 1,000 are queued',
    'all 100 aborted at once, none of the 1,000 sent after close, no msg sent or caught, done once each, one summary log line (not 1,100); the new flow works',
    async () => {
      server.fault('experiment/metadata', { hang: true, times: Infinity });
      const { warning, requests, out } = await rig.redeployDuring(server, metadata, {
        config: { concurrency: 100 },
        count: 1100,
        make: () => ({ experimentKey }),
        ready: () => server.inFlight === 100,
        what: '100 requests in flight',
      });
      assert.equal(requests, 100, 'no queued request was sent after close');
      assert.equal(out, 0, 'no msg sent or caught');
      assert.match(String(warning.msg), /Closed with 1100 Comet request\(s\) in flight or queued/);
      return `100 aborted, 0 of 1,000 queued sent (server saw 100 requests); 0 sent, 0 caught, done once for each of 1,100; log: one warning "${warning.msg}"; next msg after the redeploy sent`;
    },
  );

  row('redeploy while msgs wait out a Retry-After of 30 s', 'the waits end at once: no timer left, no retry sent, one summary line; the new flow works', async () => {
    server.fault('experiment/metadata', { status: 429, headers: { 'Retry-After': '30' }, times: Infinity });
    const { warning, requests, out } = await rig.redeployDuring(server, metadata, {
      count: 8,
      make: () => ({ experimentKey }),
      ready: () => server.requests.length === 4,
      what: 'the first 4 answered 429',
    });
    assert.equal(requests, 4, 'no retry after the redeploy');
    assert.equal(out, 0, 'no msg sent or caught');
    return `0 sent, 0 caught, done once each; no retry sent; log: "${warning.msg}"; the new flow answers`;
  });

  row('redeploy in the middle of a download (to a Buffer)', 'the download is abandoned, the connection closed, nothing sent; one summary line; the new flow works', async () => {
    const experiment = Object.values(server.data.experiments).find((e) => e.assets.some((a) => !a.redirect && a.content.length > 1000));
    const asset = experiment.assets.find((a) => !a.redirect && a.content.length > 1000);
    server.fault('experiment/asset/get-asset', { trickleMs: 200, trickleBytes: 64, times: Infinity });
    const { warning, out } = await rig.redeployDuring(
      server,
      { type: 'comet-download-model', operation: 'asset', output: 'buffer' },
      { count: 2, make: () => ({ experimentKey: experiment.experimentKey, assetId: asset.assetId }), ready: () => server.inFlight === 2, what: 'two downloads under way' },
    );
    assert.equal(out, 0, 'no msg sent or caught');
    return `0 sent, 0 caught, done once each; log: "${warning.msg}"; the new flow downloads`;
  });

  row(
    '10,000 msgs injected at once into one node, concurrency 4',
    'every msg sent once with its payload, done once; the server never sees more than 4 at once; heap back near where it started',
    async () => {
      const count = 10_000;
      await rig.deploy(flowAround(metadata, [configNode(server, { concurrency: 4 })]), { cfg: { apiKey: SAMPLE_KEY } });
      // Each answer takes 2 ms, so that requests overlap and the limit is tested.
      server.fault('experiment/metadata', { delayMs: 2, times: Infinity });
      const outcomes = recordOutcomes();
      const before = heapMb();
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().heapUsed / 2 ** 20);
      }, 20);
      const started = Date.now();
      try {
        outcomes.inject(count, () => ({ experimentKey }));
        await outcomes.settled(count, 150_000);
      } finally {
        clearInterval(sampler);
      }
      const seconds = (Date.now() - started) / 1000;
      assert.deepEqual(outcomes.problems(count), []);
      assert.ok(outcomes.sent.every((msg) => msg.payload.experimentKey === experimentKey));
      assert.equal(server.requests.length, count);
      assert.equal(server.maxInFlight, 4);
      // What the test itself holds (the msgs it collected, the server's request
      // log, the test helper's spies) goes before the heap is measured again.
      outcomes.sent.length = 0;
      await rig.finish([server]);
      server.clearRequests();
      helper.log().resetHistory();
      const after = heapMb();
      recordNumbers('reliability-load.json', '10k-msgs-concurrency-4', { msgs: count, seconds, msgsPerSecond: Math.round(count / seconds), heapBeforeMb: before, heapPeakMb: peak, heapAfterMb: after });
      assert.ok(after - before < 32, `heap grew ${(after - before).toFixed(1)} MB`);
      assert.ok(peak - before < 512, `heap peaked ${(peak - before).toFixed(1)} MB above the start`);
      return `10,000 of 10,000 sent once and done once; server saw at most 4 requests at once (10,000 in all); heap after GC within 32 MB of the start (numbers: bench/.out/reliability-load.json)`;
    },
  );

  row(
    'two config nodes with different keys and servers, used at once',
    "each request carries its own config node's key, never the other's; every msg sent",
    async () => {
      const other = await createSampleServer({ apiKeys: { 'key-of-b': { userName: 'bea', defaultWorkspaceName: 'vision-team' } } });
      try {
        const otherKey = Object.keys(other.data.experiments)[1];
        const flow = [
          configNode(server, { id: 'cfgA', name: 'A', concurrency: 3 }),
          configNode(other, { id: 'cfgB', name: 'B', concurrency: 3 }),
          { id: 'nA', ...metadata, server: 'cfgA', wires: [['out']] },
          { id: 'nB', ...metadata, server: 'cfgB', wires: [['out']] },
          { id: 'out', type: 'helper' },
          { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
          { id: 'caught', type: 'helper' },
        ];
        await rig.deploy(flow, { cfgA: { apiKey: SAMPLE_KEY }, cfgB: { apiKey: 'key-of-b' } });
        const { sent, caught } = recordOutcomes(null);
        for (let i = 0; i < 100; i++) {
          helper.getNode('nA').receive({ experimentKey, seq: i });
          helper.getNode('nB').receive({ experimentKey: otherKey, seq: i });
        }
        await until(() => sent.length + caught.length >= 200, { message: '200 msgs out' });
        assert.equal(caught.length, 0, caught[0] && caught[0].error.message);
        assert.equal(new Set(sent.map((msg) => `${msg.payload.experimentKey}/${msg.seq}`)).size, 200);
        assert.equal(server.requests.length, 100);
        assert.equal(other.requests.length, 100);
        assert.ok(server.requests.every((r) => r.headers.authorization === SAMPLE_KEY));
        assert.ok(other.requests.every((r) => r.headers.authorization === 'key-of-b'));
        await rig.stop();
        await until(() => other.inFlight === 0, { message: 'server B to see its connections close' });
      } finally {
        await other.close();
      }
      await rig.finish([server]);
      return "200 of 200 sent; server A saw 100 requests, all with A's key; server B saw 100, all with B's key";
    },
  );
});
