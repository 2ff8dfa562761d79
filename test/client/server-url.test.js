'use strict';
// Every way a user names the Comet server leads to the right REST root, checked
// on the URL and over real HTTP against a sample server behind a path prefix.
const assert = require('node:assert/strict');
const { restRootOf, chooseServer, serverInApiKey, DEFAULT_SERVER } = require('../../nodes/client/server-url');
const { withClient, ACCOUNT } = require('../helpers/client');
const { useSampleServer } = require('../helpers/sample-server');
const { SAMPLE_KEY } = require('../helpers/runtime');

/** `key*base64(JSON)`, the form of newer Comet keys that carry their server. */
function keyWithServer(key, json) {
  return `${key}*${Buffer.from(JSON.stringify(json)).toString('base64')}`;
}

describe('client: server URL forms', function () {
  describe('restRootOf', function () {
    const cases = [
      ['https://comet.example.com', 'https://comet.example.com/api/rest/v2/'],
      ['https://comet.example.com/', 'https://comet.example.com/api/rest/v2/'],
      ['https://comet.example.com/clientlib/', 'https://comet.example.com/api/rest/v2/'],
      ['https://comet.example.com/clientlib', 'https://comet.example.com/api/rest/v2/'],
      ['https://comet.example.com/comet/clientlib/', 'https://comet.example.com/comet/api/rest/v2/'],
      ['https://comet.example.com/api/rest/v2', 'https://comet.example.com/api/rest/v2/'],
      ['https://comet.example.com/api/rest/v2/', 'https://comet.example.com/api/rest/v2/'],
      ['https://comet.example.com/comet/api/rest/v2/', 'https://comet.example.com/comet/api/rest/v2/'],
      ['  https://comet.example.com:8443//  ', 'https://comet.example.com:8443/api/rest/v2/'],
      ['http://127.0.0.1:5000/prefix', 'http://127.0.0.1:5000/prefix/api/rest/v2/'],
      ['https://user:pw@comet.example.com/clientlib/?x=1#top', 'https://comet.example.com/api/rest/v2/'],
      [DEFAULT_SERVER, 'https://www.comet.com/api/rest/v2/'],
    ];
    for (const [server, root] of cases) {
      it(`${JSON.stringify(server)} -> ${root}`, function () {
        assert.equal(restRootOf(server).href, root);
      });
    }

    for (const bad of ['ftp://comet.example.com', 'comet.example.com', '', 'file:///etc/passwd']) {
      it(`refuses ${JSON.stringify(bad)}`, function () {
        assert.throws(() => restRootOf(bad), TypeError);
      });
    }
  });

  describe('the key that names its server', function () {
    it('reads baseUrl from key*base64json', function () {
      assert.equal(serverInApiKey(keyWithServer('abc', { baseUrl: 'https://comet.example.com/clientlib/' })), 'https://comet.example.com/clientlib/');
    });

    it('ignores plain keys, unreadable JSON and baseUrls that are not http(s)', function () {
      assert.equal(serverInApiKey('abc'), undefined);
      assert.equal(serverInApiKey('abc*not-base64-json'), undefined);
      assert.equal(serverInApiKey(keyWithServer('abc', { other: 1 })), undefined);
      assert.equal(serverInApiKey(keyWithServer('abc', { baseUrl: 'javascript:alert(1)' })), undefined);
      assert.equal(serverInApiKey(keyWithServer('abc', { baseUrl: 42 })), undefined);
    });
  });

  describe('chooseServer: configured, then COMET_URL_OVERRIDE, then the key, then the default', function () {
    const keyed = keyWithServer('abc', { baseUrl: 'https://from-key.example.com/' });

    it('a configured server other than the default wins over everything', function () {
      assert.equal(chooseServer('https://mine.example.com', keyed, { COMET_URL_OVERRIDE: 'https://env.example.com' }), 'https://mine.example.com');
    });

    it('blank or the default: COMET_URL_OVERRIDE first', function () {
      for (const configured of ['', undefined, 'https://www.comet.com/', 'https://www.comet.com/clientlib/']) {
        assert.equal(chooseServer(configured, keyed, { COMET_URL_OVERRIDE: 'https://env.example.com/clientlib/' }), 'https://env.example.com/clientlib/');
      }
    });

    it('then the server inside the key', function () {
      assert.equal(chooseServer('https://www.comet.com', keyed, {}), 'https://from-key.example.com/');
    });

    it('then Comet itself', function () {
      assert.equal(chooseServer('', 'plain-key', {}), DEFAULT_SERVER);
    });
  });

  describe('over HTTP, behind a path prefix', function () {
    const ctx = useSampleServer({ pathPrefix: '/comet' });
    let server;
    beforeEach(() => ({ server } = ctx));

    const forms = ['/comet', '/comet/', '/comet/clientlib/', '/comet/clientlib', '/comet/api/rest/v2', '/comet/api/rest/v2/'];
    for (const form of forms) {
      it(`server "<origin>${form}" reaches /comet/api/rest/v2/account-details`, async function () {
        await withClient(server, { server: server.url + form }, async (client) => {
          server.clearRequests();
          const account = await client.json(ACCOUNT);
          assert.equal(account.userName, 'ada');
          assert.equal(server.requests.length, 1);
          assert.equal(server.requests[0].path, 'account-details');
        });
      });
    }

    it('the origin alone misses the prefix: a clear not-found, not a garbled answer', async function () {
      await withClient(server, { server: server.url, retries: 0 }, async (client) => {
        await assert.rejects(client.json(ACCOUNT), { code: 'COMET_NOT_FOUND' });
      });
    });

    it('a key naming the server is used when the configured server is the default, and sent whole', async function () {
      const apiKey = keyWithServer(SAMPLE_KEY, { baseUrl: `${server.url}/comet/clientlib/` });
      await withClient(server, { server: chooseServer(DEFAULT_SERVER, apiKey, {}), apiKey }, async (client) => {
        server.clearRequests();
        await client.json(ACCOUNT);
        assert.equal(server.requests[0].headers.authorization, apiKey);
      });
    });

    it('COMET_URL_OVERRIDE in the usual /clientlib/ form reaches the server', async function () {
      await withClient(server, { server: chooseServer('', SAMPLE_KEY, { COMET_URL_OVERRIDE: `${server.url}/comet/clientlib/` }) }, async (client) => {
        server.clearRequests();
        await client.json(ACCOUNT);
        assert.equal(server.requests.length, 1);
      });
    });
  });
});
