'use strict';
// The key goes as `Authorization: <key>` to Comet's own origin, on every kind
// of request, and never to another host a redirect points at.
const assert = require('node:assert/strict');
const http = require('node:http');
const { useClient, ACCOUNT, rejectionOf } = require('../helpers/client');
const { SAMPLE_KEY } = require('../helpers/runtime');

/** A server on another origin that answers 302 to `location()`, recording what it got. */
async function redirector(location) {
  const seen = [];
  const srv = http.createServer((req, res) => {
    seen.push({ url: req.url, headers: { ...req.headers } });
    res.writeHead(302, { Location: location(req) });
    res.end();
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    url: `http://127.0.0.1:${srv.address().port}`,
    close: () => new Promise((resolve) => srv.close(resolve) && srv.closeAllConnections()),
  };
}

describe('client: the Authorization header', function () {
  const ctx = useClient();
  let server, client, experimentKey;
  beforeEach(() => ({ server, client, experimentKey } = ctx));

  it('is the raw key, without "Bearer", on GET, POST and raw requests', async function () {
    const project = server.data.projects[0];
    await client.json(ACCOUNT);
    await client.json({ endpoint: 'project/query', method: 'POST', path: 'project/query', body: { projectId: project.projectId, predicates: [] } });
    await client.raw({ endpoint: 'experiment/git/patch', method: 'GET', path: 'experiment/git/patch', query: { experimentKey } });
    assert.equal(server.requests.length, 3);
    for (const request of server.requests) assert.equal(request.headers.authorization, SAMPLE_KEY);
  });

  it('is sent on every retry too', async function () {
    server.fault('account-details', { status: 503, times: 2 });
    await client.json(ACCOUNT);
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      [SAMPLE_KEY, SAMPLE_KEY, SAMPLE_KEY],
    );
  });

  it('is not sent to the storage host an asset redirects to, and the bytes still arrive', async function () {
    const experiment = Object.values(server.data.experiments).find((e) => e.assets.some((a) => a.redirect));
    const asset = experiment.assets.find((a) => a.redirect);
    const result = await client.raw({
      endpoint: 'experiment/asset/get-asset',
      method: 'GET',
      path: 'experiment/asset/get-asset',
      query: { experimentKey: experiment.experimentKey, assetId: asset.assetId },
    });
    assert.deepEqual(result.bytes, asset.content);
    assert.equal(server.requests[0].headers.authorization, SAMPLE_KEY);
    assert.equal(server.storage.requests.length, 1);
    assert.equal(server.storage.requests[0].headers.authorization, undefined);
    assert.ok(!JSON.stringify(server.storage.requests[0]).includes(SAMPLE_KEY));
  });

  it('another port of the same host is another origin: no key there', async function () {
    const other = await redirector(() => `${server.restRoot}account-details`);
    try {
      server.fault('account-details', { status: 302, headers: { Location: `${other.url}/elsewhere` }, body: '', times: 1 });
      const account = await client.json(ACCOUNT);
      assert.equal(account.userName, 'ada');
      assert.equal(other.seen.length, 1);
      assert.equal(other.seen[0].headers.authorization, undefined);
      // Back on Comet's origin the key is sent again.
      assert.deepEqual(
        server.requests.map((r) => r.headers.authorization),
        [SAMPLE_KEY, SAMPLE_KEY],
      );
    } finally {
      await other.close();
    }
  });

  it('a redirect loop ends in a clear error, not a hang', async function () {
    const loop = await redirector((req) => req.url);
    try {
      server.fault('account-details', { status: 302, headers: { Location: `${loop.url}/again` }, body: '' });
      const err = await rejectionOf(client.json(ACCOUNT));
      assert.equal(err.code, 'COMET_UNEXPECTED_ANSWER');
      assert.equal(err.cause.statusCode, 302);
      assert.ok(loop.seen.length >= 1 && loop.seen.length <= 10, `followed ${loop.seen.length} redirects`);
      assert.ok(loop.seen.every((r) => r.headers.authorization === undefined));
    } finally {
      await loop.close();
    }
  });
});
