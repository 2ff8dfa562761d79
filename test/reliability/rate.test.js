'use strict';
// Comet's rate limits: a window of HTTP 429 that msgs wait out holding their
// place, and the config node's request budget (`rate`) keeping a flow that
// fans out under a server's limit, redeploy included.
const assert = require('node:assert/strict');
const { SAMPLE_KEY, configNode, helper } = require('../helpers/runtime');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');
const { useSampleServer } = require('../helpers/sample-server');
const { statusSpy } = require('../helpers/status');
const { useRig, recordNumbers } = require('./rig');
const { section } = require('./matrix');

const row = section(__filename, 'Rate limits');

const metadata = { type: 'comet-get-experiment', operation: 'metadata' };
const CLOCK = /\d\d:\d\d:\d\d$/;

/** A status text as the document shows it: the time of day it names varies per run. */
function shown(status) {
  return status.text.replace(CLOCK, 'HH:MM:SS');
}

describe('reliability: rate limits', function () {
  this.timeout(120_000);
  const rig = useRig();
  const ctx = useSampleServer();
  let server, experimentKey;
  beforeEach(() => ({ server, experimentKey } = ctx));
  afterEach(() => server.limitRate(null));

  /** Deploys the metadata node on a config node with `config`; returns its outcomes and status spy. */
  async function deploy(config) {
    await rig.deploy(flowAround(metadata, [configNode(server, config)]), { cfg: { apiKey: SAMPLE_KEY } });
    const status = statusSpy(helper.getNode('n'));
    return { outcomes: recordOutcomes(), status };
  }

  row(
    '100 msgs through a 2 s window of HTTP 429 (Retry-After: 2), concurrency 4',
    "each request refused waits out the Retry-After holding its place, so at most twice the concurrency are refused; every msg sent once; the status says the node waits for Comet's rate limit, and until when",
    async () => {
      let windowEnds;
      const inWindow = () => Date.now() < (windowEnds ??= Date.now() + 2000);
      server.fault(inWindow, { status: 429, headers: { 'Retry-After': '2' }, times: Infinity });
      const { outcomes, status } = await deploy({ concurrency: 4 });
      outcomes.inject(100, () => ({ experimentKey }));
      await outcomes.settled(100, 30_000);
      assert.deepEqual(outcomes.problems(100), []);
      assert.equal(outcomes.sent.length, 100);
      const refused = server.requests.filter((r) => r.status === 429).length;
      assert.ok(refused <= 8, `${refused} refused`);
      const waiting = status.seen.find((s) => /^waiting for Comet's rate limit until /.test(s.text));
      assert.ok(waiting, `statuses: ${JSON.stringify(status.seen.map((s) => s.text))}`);
      assert.match(waiting.text, CLOCK);
      await rig.finish([server]);
      return `${refused} of ${server.requests.length} requests answered 429 (at most 8); 100 of 100 sent once, done once; status while waiting: "${shown(waiting)}" (blue ring)`;
    },
  );

  row(
    'rate: 600 (requests a minute), 200 msgs at once, against a server that answers 429 past 12 requests a second',
    'the msgs wait their turn in the queue instead of failing: about 20 s in all (200 turns of 0.1 s), no request answered 429, none lost; the status says they wait for the request budget',
    async () => {
      server.limitRate({ max: 12, windowMs: 1000, retryAfterSeconds: 1 });
      const { outcomes, status } = await deploy({ rate: 600 });
      const started = Date.now();
      outcomes.inject(200, () => ({ experimentKey }));
      await outcomes.settled(200, 60_000);
      const seconds = (Date.now() - started) / 1000;
      assert.deepEqual(outcomes.problems(200), []);
      assert.equal(outcomes.sent.length, 200);
      const refused = server.requests.filter((r) => r.status === 429).length;
      assert.equal(refused, 0);
      const at = server.requests.map((r) => r.at);
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      assert.ok(seconds >= 19.9 && seconds < 25, `took ${seconds} s`);
      const waiting = status.seen.find((s) => /^waiting for the request budget until /.test(s.text));
      assert.ok(waiting, `statuses: ${JSON.stringify(status.seen.map((s) => s.text))}`);
      await rig.finish([server]);
      recordNumbers('reliability-limits.json', 'rate-600-200-msgs', { msgs: 200, seconds, requests: at.length, refused, smallestGapMs: Math.min(...gaps) });
      return `200 of 200 sent once, done once, all within 19.9 to 25 s (numbers: bench/.out/reliability-limits.json); ${at.length} requests, ${refused} answered 429; status: "${shown(waiting)}" (blue ring)`;
    },
  );

  row(
    'rate: 600, 200 msgs, redeploy after the first 50 have gone',
    'the msgs waiting for their turn are cancelled at once: no request after the close, nothing sent or caught after it, done once each, one summary log line; the new flow works',
    async () => {
      const { warning, out, cancelled } = await rig.redeployDuring(server, metadata, {
        config: { rate: 600 },
        count: 200,
        make: () => ({ experimentKey }),
        ready: () => server.requests.length >= 50,
        what: '50 requests sent',
      });
      assert.ok(out >= 40 && cancelled >= 100, `${out} out, ${cancelled} cancelled`);
      return `the msgs sent before the close came out once each (about 50), the rest (about 150) were cancelled: none sent or caught after the close, no request after it; log: one warning "${String(warning.msg).replace(/\d+/, '<n>')}"; the new flow answers`;
    },
  );

  row('the request budget and lookups: a project named, not its id, under rate: 600', 'the lookup of the project id takes its turn of the budget like any request', async () => {
    await rig.deploy(flowAround({ type: 'comet-get-projects', operation: 'notes' }, [configNode(server, { rate: 600 })]), { cfg: { apiKey: SAMPLE_KEY } });
    const outcomes = recordOutcomes();
    outcomes.inject(3, () => ({ projectName: 'churn' }));
    await outcomes.settled(3);
    assert.deepEqual(outcomes.problems(3), []);
    const paths = server.requests.map((r) => r.path);
    assert.deepEqual(paths, ['project', 'project/notes', 'project/notes', 'project/notes']);
    const at = server.requests.map((r) => r.at);
    // Three turns of 0.1 s after the first request; the arrivals jitter by a few ms.
    assert.ok(at[3] - at[0] >= 250, `the four requests came within ${at[3] - at[0]} ms`);
    await rig.finish([server]);
    return `3 of 3 sent; the server saw ${paths.join(', ')}, spread over 0.3 s (a turn of 0.1 s each)`;
  });
});
