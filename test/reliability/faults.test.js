'use strict';
// The fault matrix: one msg through a node while the sample server (or the
// network) misbehaves in one way; the msg ends in exactly one clear outcome.
const assert = require('node:assert/strict');
const net = require('node:net');
const { SAMPLE_KEY, configNode } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');
const { useRig } = require('./rig');
const { section } = require('./matrix');

const row = section(__filename, 'Fault matrix (comet-get-experiment and comet-download-model)');

const DOWNLOAD = 'comet-download-model';

describe('reliability: fault matrix', function () {
  this.timeout(30_000);
  const rig = useRig();
  const ctx = useSampleServer();
  let server, experimentKey, asset;
  beforeEach(function () {
    server = ctx.server;
    const experiment = Object.values(server.data.experiments).find((e) => e.assets.some((a) => !a.redirect && a.content.length > 1000));
    experimentKey = experiment.experimentKey;
    asset = experiment.assets.find((a) => !a.redirect && a.content.length > 1000);
  });

  const metadata = { type: 'comet-get-experiment', operation: 'metadata' };
  const download = { type: DOWNLOAD, operation: 'asset', output: 'buffer' };

  /**
   * Deploys `node` on a config node of the server (with `config`, `apiKey`), sends one
   * msg, waits for its one outcome, stops the flow and checks it left nothing.
   * Returns { sent, error, requests }.
   */
  async function oneMsg(node, { config = {}, msg, apiKey = SAMPLE_KEY } = {}) {
    await rig.deploy(flowAround(node, [configNode(server, { retries: 2, ...config })]), { cfg: { apiKey } });
    const outcomes = recordOutcomes();
    outcomes.inject(1, () => msg || (node.type === DOWNLOAD ? { experimentKey, assetId: asset.assetId } : { experimentKey }));
    await outcomes.settled(1, 20_000);
    assert.deepEqual(outcomes.problems(1), []);
    const requests = server.requests.length;
    await rig.finish([server]);
    return { sent: outcomes.sent[0], error: outcomes.caught[0] && outcomes.caught[0].error, requests };
  }

  /** The observation of a msg that came out with its payload. */
  function sentText({ requests }, what) {
    return `sent on with ${what}; ${requests} request(s); done once`;
  }

  /** The observation of a msg that failed to the Catch node. */
  function caughtText({ error, requests }) {
    return `caught ${error.code}: "${error.message}"; ${requests} request(s); done once`;
  }

  function expectSent(result) {
    assert.ok(result.sent, `the msg failed: ${result.error && result.error.message}`);
  }

  function expectCaught(result, code) {
    assert.ok(result.error, 'the msg was not caught');
    assert.equal(result.error.code, code, result.error.message);
    assert.equal(result.error.cause.code, code);
    for (const key of Object.keys(result.error.cause)) assert.ok(['code', 'statusCode', 'sdkErrorCode', 'endpoint'].includes(key), `msg.error.cause.${key}`);
  }

  row('429 with Retry-After: 1, then success', 'waits 1 s, retries, msg sent with the metadata', async () => {
    server.fault('experiment/metadata', { status: 429, headers: { 'Retry-After': '1' } });
    const result = await oneMsg(metadata);
    expectSent(result);
    assert.equal(result.sent.payload.experimentKey, experimentKey);
    assert.equal(result.requests, 2);
    assert.ok(server.requests[1].at - server.requests[0].at >= 1000, 'waited the second Comet asked for');
    return sentText(result, "the experiment's metadata");
  });

  row('429 forever', 'gives up after the retry budget (3 tries); error says rate limit', async () => {
    server.fault('experiment/metadata', { status: 429, headers: { 'Retry-After': '0' }, times: Infinity });
    const result = await oneMsg(metadata);
    expectCaught(result, 'COMET_RATE_LIMITED');
    assert.match(result.error.message, /rate limit/);
    assert.equal(result.requests, 3);
    return caughtText(result);
  });

  for (const status of [500, 502, 503, 504]) {
    row(`${status} once, then success`, 'retried after a backoff; msg sent', async () => {
      server.fault('experiment/metadata', { status });
      const result = await oneMsg(metadata);
      expectSent(result);
      assert.equal(result.requests, 2);
      return sentText(result, "the experiment's metadata");
    });
  }

  for (const status of [500, 502, 503, 504]) {
    row(`${status} forever`, 'gives up after 3 tries with a server error naming the status', async () => {
      server.fault('experiment/metadata', { status, times: Infinity });
      const result = await oneMsg(metadata);
      expectCaught(result, 'COMET_SERVER_ERROR');
      assert.equal(result.error.cause.statusCode, status);
      assert.equal(result.requests, 3);
      return caughtText(result);
    });
  }

  row('connection reset before headers, once', 'retried; msg sent', async () => {
    server.fault('experiment/metadata', { reset: 'before-headers' });
    const result = await oneMsg(metadata);
    expectSent(result);
    assert.equal(result.requests, 2);
    return sentText(result, "the experiment's metadata");
  });

  row('connection reset before headers, forever', 'gives up after 3 tries; network error naming host and port', async () => {
    server.fault('experiment/metadata', { reset: 'before-headers', times: Infinity });
    const result = await oneMsg(metadata);
    expectCaught(result, 'COMET_NETWORK');
    assert.ok(result.error.message.includes(`127.0.0.1:${server.port}`), result.error.message);
    assert.equal(result.requests, 3);
    return caughtText(result);
  });

  row('connection reset mid-body (JSON), once', 'retried; msg sent with the whole, parsed answer', async () => {
    server.fault('experiment/metadata', { reset: 'mid-body' });
    const result = await oneMsg(metadata);
    expectSent(result);
    assert.equal(result.sent.payload.experimentKey, experimentKey);
    assert.equal(result.requests, 2);
    return sentText(result, "the experiment's metadata");
  });

  row('connection reset mid-body (download), once', 'retried; msg sent with every byte', async () => {
    server.fault('experiment/asset/get-asset', { reset: 'mid-body' });
    const result = await oneMsg(download);
    expectSent(result);
    assert.deepEqual(result.sent.payload, asset.content);
    assert.equal(result.requests, 2);
    return sentText(result, `the asset's ${asset.content.length} bytes`);
  });

  row(
    'connection reset mid-body (download), forever',
    'resumes (Range) while each try brings more bytes (the server sends half of what is left, then resets), then gives up after 3 tries that bring none; network error; no partial payload',
    async () => {
      server.fault('experiment/asset/get-asset', { reset: 'mid-body', times: Infinity });
      const result = await oneMsg(download);
      expectCaught(result, 'COMET_NETWORK');
      const starts = server.requests.map((r) => Number((/^bytes=(\d+)-$/.exec(r.headers.range || '') || [0, 0])[1]));
      const last = starts[starts.length - 1];
      assert.deepEqual(starts.slice(-3), [last, last, last], 'the last 3 tries brought nothing');
      assert.ok(starts.slice(0, -2).every((start, i) => i === 0 || start > starts[i - 1]), `starts: ${starts}`);
      assert.ok(starts.length - 3 <= 20, 'at most 20 resumes');
      return `${caughtText(result)}; ${starts.length - 3} resumes, each from a later byte (${starts.slice(1, -2).join(', ')}), then 2 retries from byte ${last}`;
    },
  );

  row('body cut short (fewer bytes than Content-Length, download), once', 'retried; msg sent with every byte', async () => {
    server.fault('experiment/asset/get-asset', { truncate: true });
    const result = await oneMsg(download);
    expectSent(result);
    assert.deepEqual(result.sent.payload, asset.content);
    return sentText(result, `the asset's ${asset.content.length} bytes`);
  });

  row('no answer (JSON), timeout 0.3 s', 'timeout error naming host and seconds after 2 tries (retries: 1)', async () => {
    server.fault('experiment/metadata', { hang: true, times: Infinity });
    const result = await oneMsg(metadata, { config: { timeout: 0.3, retries: 1 } });
    expectCaught(result, 'COMET_TIMEOUT');
    assert.match(result.error.message, /within 0\.3 s \(attempts: 2\)/);
    return caughtText(result);
  });

  row('no answer (download), timeout 0.3 s', 'timeout error after 2 tries (retries: 1)', async () => {
    server.fault('experiment/asset/get-asset', { hang: true, times: Infinity });
    const result = await oneMsg(download, { config: { timeout: 0.3, retries: 1 } });
    expectCaught(result, 'COMET_TIMEOUT');
    assert.equal(result.requests, 2);
    return caughtText(result);
  });

  row('slow trickle JSON body, longer than the 0.3 s timeout', 'timeout error: the timeout covers the whole JSON answer', async () => {
    server.fault('experiment/metadata', { trickleMs: 100, trickleBytes: 64, times: Infinity });
    const result = await oneMsg(metadata, { config: { timeout: 0.3, retries: 0 } });
    expectCaught(result, 'COMET_TIMEOUT');
    return caughtText(result);
  });

  // Gaps far below the timeout, so a busy machine's late timers cannot make it flaky.
  row('slow trickle download, 3 s in all, 0.25 s gaps, timeout 2 s', 'msg sent: a download only times out when the data stops', async () => {
    server.fault('experiment/asset/get-asset', { trickleMs: 250, trickleBytes: Math.ceil(asset.content.length / 12) });
    const result = await oneMsg(download, { config: { timeout: 2, retries: 0 } });
    expectSent(result);
    assert.deepEqual(result.sent.payload, asset.content);
    return sentText(result, `the asset's ${asset.content.length} bytes`);
  });

  row('HTML error page with 502, forever', 'server error after 3 tries; no attempt to read the page as JSON', async () => {
    server.fault('experiment/metadata', { html: true, status: 502, times: Infinity });
    const result = await oneMsg(metadata);
    expectCaught(result, 'COMET_SERVER_ERROR');
    assert.equal(result.requests, 3);
    return caughtText(result);
  });

  row('HTML page with 200 where JSON was expected', 'unexpected-answer error naming the host, not retried', async () => {
    server.fault('experiment/metadata', { html: true, status: 200 });
    const result = await oneMsg(metadata);
    expectCaught(result, 'COMET_UNEXPECTED_ANSWER');
    assert.match(result.error.message, /web page/);
    assert.equal(result.requests, 1);
    return caughtText(result);
  });

  row('HTML page with 200 where a download was expected', 'unexpected-answer error; the page is not taken for the file', async () => {
    server.fault('experiment/asset/get-asset', { html: true, status: 200 });
    const result = await oneMsg(download);
    expectCaught(result, 'COMET_UNEXPECTED_ANSWER');
    return caughtText(result);
  });

  row('malformed JSON', 'unexpected-answer error, not retried', async () => {
    server.fault('experiment/metadata', { status: 200, body: '{"experimentKey": "abc", "dura', contentType: 'application/json' });
    const result = await oneMsg(metadata);
    expectCaught(result, 'COMET_UNEXPECTED_ANSWER');
    assert.match(result.error.message, /not valid JSON/);
    assert.equal(result.requests, 1);
    return caughtText(result);
  });

  row('JSON error body with 200 on a raw endpoint (git patch)', "msg sent with msg.payload null (Comet's note is not taken for the patch's bytes)", async () => {
    server.fault('experiment/git/patch', { status: 200, body: { msg: 'no patch for experiment', code: 200, data: null, sdk_error_code: 0 } });
    const result = await oneMsg({ type: 'comet-get-experiment', operation: 'gitPatch' });
    expectSent(result);
    assert.equal(result.sent.payload, null);
    return sentText(result, 'msg.payload null (Comet: "no patch for experiment")');
  });

  row('JSON error body with 200 on a download (asset)', 'not-found error with Comet\'s words; no file, no bytes', async () => {
    server.fault('experiment/asset/get-asset', { status: 200, body: { msg: 'no asset for experiment', code: 200, data: null, sdk_error_code: 0 } });
    const result = await oneMsg(download);
    expectCaught(result, 'COMET_NOT_FOUND');
    assert.match(result.error.message, /no asset for experiment/);
    return caughtText(result);
  });

  row('401', 'key-rejected error naming the config node, never the key; not retried', async () => {
    const result = await oneMsg(metadata, { config: { name: 'prod comet', retries: 3 }, apiKey: 'revoked-key-0000' });
    expectCaught(result, 'COMET_KEY_REJECTED');
    assert.match(result.error.message, /config node "prod comet"/);
    assert.ok(!result.error.message.includes('revoked-key-0000'));
    assert.equal(result.requests, 1);
    return caughtText(result);
  });

  row('403', 'forbidden error with Comet\'s words; not retried', async () => {
    server.fault('experiment/metadata', { status: 403, body: { msg: 'User has no access to this experiment', code: 403, data: null, sdk_error_code: 90210 } });
    const result = await oneMsg(metadata);
    expectCaught(result, 'COMET_FORBIDDEN');
    assert.equal(result.error.cause.sdkErrorCode, 90210);
    assert.equal(result.requests, 1);
    return caughtText(result);
  });

  row('404 unknown experiment', 'not-found error naming the experiment key asked for; not retried', async () => {
    const result = await oneMsg(metadata, { msg: { experimentKey: 'no-such-experiment-key' } });
    expectCaught(result, 'COMET_NOT_FOUND');
    assert.match(result.error.message, /experimentKey "no-such-experiment-key"/);
    assert.equal(result.requests, 1);
    return caughtText(result);
  });

  row("400 with Comet's msg", "bad-request error carrying Comet's msg and sdk_error_code; not retried", async () => {
    server.fault('experiment/metadata', { status: 400, body: { msg: 'Experiment key is not valid', code: 400, data: null, sdk_error_code: 90998 } });
    const result = await oneMsg(metadata);
    expectCaught(result, 'COMET_BAD_REQUEST');
    assert.match(result.error.message, /Experiment key is not valid/);
    assert.equal(result.error.cause.sdkErrorCode, 90998);
    assert.equal(result.requests, 1);
    return caughtText(result);
  });

  row('DNS failure', 'network error naming the host; not retried', async () => {
    const result = await oneMsg(metadata, { config: { baseUrl: 'http://comet.no-such-host.invalid:8080' } });
    expectCaught(result, 'COMET_NETWORK');
    assert.match(result.error.message, /comet\.no-such-host\.invalid/);
    return caughtText(result).replace(/EAI_AGAIN/, 'ENOTFOUND');
  });

  row('connection refused', 'network error naming host and port; not retried', async () => {
    const probe = net.createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address();
    await new Promise((resolve) => probe.close(resolve));
    const result = await oneMsg(metadata, { config: { baseUrl: `http://127.0.0.1:${port}` } });
    expectCaught(result, 'COMET_NETWORK');
    assert.match(result.error.message, new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`));
    return caughtText(result);
  });
});
