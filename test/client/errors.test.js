'use strict';
// Each way Comet (or the network) says no becomes one CometError with a
// stable code, the cause the contract describes, and a sentence to act on.
const assert = require('node:assert/strict');
const net = require('node:net');
const { CometError } = require('../../nodes/client/errors');
const { clientFor, withClient, useClient, ACCOUNT, metadataCall, rejectionOf } = require('../helpers/client');
const { SAMPLE_KEY } = require('../helpers/runtime');

/** A port nothing listens on (bound, read, released). */
async function closedPort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('client: error mapping', function () {
  const ctx = useClient({ label: 'prod-comet', retries: 2 });
  let server, client, experimentKey;
  beforeEach(() => ({ server, client, experimentKey } = ctx));

  /** The error of one metadata call, with how many requests it took. */
  async function failure(call = metadataCall(experimentKey)) {
    const err = await rejectionOf(client.json(call));
    assert.ok(err instanceof CometError, `not a CometError: ${err}`);
    assert.equal(String(err), err.message, 'toString() is the sentence Node-RED shows');
    assert.ok(!err.message.includes(SAMPLE_KEY), 'the key is never in a message');
    return { err, requests: server.requests.length };
  }

  it('401: key rejected, names the config node, not retried', async function () {
    await withClient(server, { label: 'prod-comet', apiKey: 'wrong-key-123', retries: 3 }, async (bad) => {
      const err = await rejectionOf(bad.json(ACCOUNT));
      assert.equal(err.code, 'COMET_KEY_REJECTED');
      assert.deepEqual(err.cause, { code: 'COMET_KEY_REJECTED', statusCode: 401, sdkErrorCode: 90212, endpoint: 'account-details' });
      assert.match(err.message, /rejected the API key of config node "prod-comet"/);
      assert.ok(!err.message.includes('wrong-key-123'));
      assert.equal(server.requests.length, 1);
    });
  });

  it('403: forbidden, names what was asked for, not retried', async function () {
    server.fault('experiment/metadata', { status: 403, body: { msg: 'No access to this workspace', code: 403, sdk_error_code: 90210 } });
    const { err, requests } = await failure();
    assert.equal(err.code, 'COMET_FORBIDDEN');
    assert.deepEqual(err.cause, { code: 'COMET_FORBIDDEN', statusCode: 403, sdkErrorCode: 90210, endpoint: 'experiment/metadata' });
    assert.match(err.message, new RegExp(`experimentKey "${experimentKey}"`));
    assert.match(err.message, /No access to this workspace/);
    assert.equal(requests, 1);
  });

  it('404: not found, names the key asked for, not retried', async function () {
    const { err, requests } = await failure(metadataCall('no-such-experiment'));
    assert.equal(err.code, 'COMET_NOT_FOUND');
    assert.deepEqual(err.cause, { code: 'COMET_NOT_FOUND', statusCode: 404, endpoint: 'experiment/metadata' });
    assert.match(err.message, /experimentKey "no-such-experiment"/);
    assert.match(err.message, /config node "prod-comet"/);
    assert.equal(requests, 1);
  });

  it("400: Comet's msg and sdk_error_code reach the error, not retried", async function () {
    server.fault('experiment/metadata', { status: 400, body: { msg: 'Invalid version string', code: 400, data: null, sdk_error_code: 42001 } });
    const { err, requests } = await failure();
    assert.equal(err.code, 'COMET_BAD_REQUEST');
    assert.deepEqual(err.cause, { code: 'COMET_BAD_REQUEST', statusCode: 400, sdkErrorCode: 42001, endpoint: 'experiment/metadata' });
    assert.equal(err.cometMessage, 'Invalid version string');
    assert.match(err.message, /Comet said: "Invalid version string"/);
    assert.equal(requests, 1);
  });

  it('400 with a "not found" sdk_error_code (older servers) is NOT_FOUND', async function () {
    const err = await rejectionOf(
      client.json({ endpoint: 'registry-model/details', method: 'GET', path: 'registry-model/details', query: { workspaceName: 'ml-team', modelName: 'nope' }, subject: { modelName: 'nope' } }),
    );
    assert.equal(err.code, 'COMET_NOT_FOUND');
    assert.deepEqual(err.cause, { code: 'COMET_NOT_FOUND', statusCode: 400, sdkErrorCode: 42008, endpoint: 'registry-model/details' });
    assert.match(err.message, /modelName "nope"/);
  });

  it('429 after every retry: rate limited, says so and what Comet asked', async function () {
    server.fault('experiment/metadata', { status: 429, headers: { 'Retry-After': '0' }, times: Infinity });
    const { err, requests } = await failure();
    assert.equal(err.code, 'COMET_RATE_LIMITED');
    assert.deepEqual(err.cause, { code: 'COMET_RATE_LIMITED', statusCode: 429, endpoint: 'experiment/metadata' });
    assert.match(err.message, /rate limit/);
    assert.match(err.message, /\(HTTP 429, attempts: 3\)/);
    // Two placeholders back to back (__wait____said__) are both filled.
    assert.match(err.message, /Comet asked to wait 0 s\. Comet said: "Too many requests, slow down"\.$/);
    assert.equal(requests, 3);
  });

  for (const status of [500, 502, 503, 504]) {
    it(`${status} after every retry: server error, with how often it was tried`, async function () {
      server.fault('experiment/metadata', { status, times: Infinity });
      const { err, requests } = await failure();
      assert.equal(err.code, 'COMET_SERVER_ERROR');
      assert.equal(err.cause.statusCode, status);
      assert.match(err.message, new RegExp(`HTTP ${status} on experiment/metadata \\(attempts: 3\\)`));
      assert.equal(requests, 3);
    });
  }

  it('501 is not retried (only 500, 502, 503 and 504 are)', async function () {
    server.fault('experiment/metadata', { status: 501, times: Infinity });
    const { err, requests } = await failure();
    assert.equal(err.code, 'COMET_SERVER_ERROR');
    assert.equal(requests, 1);
  });

  it('an HTML error page (502 from a proxy) is a server error, not an attempt to parse HTML', async function () {
    server.fault('experiment/metadata', { html: true, status: 502, times: Infinity });
    const { err } = await failure();
    assert.equal(err.code, 'COMET_SERVER_ERROR');
    assert.equal(err.cometMessage, undefined);
  });

  it('an HTML page with 200 where JSON was expected: unexpected answer naming the host', async function () {
    server.fault('experiment/metadata', { html: true, status: 200 });
    const { err, requests } = await failure();
    assert.equal(err.code, 'COMET_UNEXPECTED_ANSWER');
    assert.match(err.message, /web page/);
    assert.ok(err.message.includes(`127.0.0.1:${server.port}`));
    assert.equal(requests, 1);
  });

  it('malformed JSON: unexpected answer', async function () {
    server.fault('experiment/metadata', { status: 200, body: '{"experimentKey": "abc", "trunc', contentType: 'application/json' });
    const { err } = await failure();
    assert.equal(err.code, 'COMET_UNEXPECTED_ANSWER');
    assert.match(err.message, /not valid JSON/);
  });

  it('a JSON endpoint answering another content type: unexpected answer naming the type', async function () {
    server.fault('experiment/metadata', { status: 200, body: 'hello', contentType: 'text/plain' });
    const { err } = await failure();
    assert.equal(err.code, 'COMET_UNEXPECTED_ANSWER');
    assert.match(err.message, /text\/plain/);
  });

  it('a raw endpoint answering Comet\'s JSON note with 200 gives an empty result, not the note as bytes', async function () {
    server.fault('experiment/git/patch', { status: 200, body: { msg: 'no patch for experiment', code: 200, data: null, sdk_error_code: 0 } });
    const result = await client.raw({ endpoint: 'experiment/git/patch', method: 'GET', path: 'experiment/git/patch', query: { experimentKey } });
    assert.deepEqual(result, { empty: 'no patch for experiment' });
  });

  it('connection refused: network error naming host and port', async function () {
    const port = await closedPort();
    await withClient(server, { server: `http://127.0.0.1:${port}`, label: 'prod-comet' }, async (refused) => {
      const err = await rejectionOf(refused.json(ACCOUNT));
      assert.equal(err.code, 'COMET_NETWORK');
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`));
      assert.match(err.message, /config node "prod-comet"/);
    });
  });

  it('a proxy that refuses is blamed by host and port, never showing its password', async function () {
    const port = await closedPort();
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = `http://proxy-user:proxy-secret@127.0.0.1:${port}`;
    const proxied = clientFor(server, { label: 'prod-comet', retries: 0 });
    try {
      const err = await rejectionOf(proxied.json(ACCOUNT));
      assert.equal(err.code, 'COMET_NETWORK');
      assert.ok(err.message.startsWith(`The proxy 127.0.0.1:${port} (from HTTP_PROXY / HTTPS_PROXY) failed for account-details`), err.message);
      assert.ok(err.message.includes(`127.0.0.1:${server.port}`), 'names where the request was going');
      assert.ok(!err.message.includes('proxy-secret'));
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      await proxied.close();
    }
  });

  it('DNS failure: network error naming the host', async function () {
    await withClient(server, { server: 'http://no-such-host.invalid:8080', label: 'prod-comet', retries: 0 }, async (lost) => {
      const err = await rejectionOf(lost.json(ACCOUNT));
      assert.equal(err.code, 'COMET_NETWORK');
      assert.match(err.message, /no-such-host\.invalid/);
      assert.match(err.message, /ENOTFOUND|EAI_AGAIN/);
    });
  });

  it('no answer within the timeout: timeout error, retried, naming host and seconds', async function () {
    await withClient(server, { timeoutMs: 150, retries: 1, label: 'prod-comet' }, async (slow) => {
      server.fault('experiment/metadata', { hang: true, times: Infinity });
      const err = await rejectionOf(slow.json(metadataCall(experimentKey)));
      assert.equal(err.code, 'COMET_TIMEOUT');
      assert.deepEqual(err.cause, { code: 'COMET_TIMEOUT', endpoint: 'experiment/metadata' });
      assert.match(err.message, /within 0\.15 s \(attempts: 2\)/);
      assert.equal(server.requests.length, 2);
    });
  });
});
