'use strict';
// Each parameter kind of the catalogue reaches Comet intact: checked by the
// node's resolver, placed by buildCall, encoded by the client, decoded by a
// real HTTP server.
const assert = require('node:assert/strict');
const { CATALOGUE } = require('../../nodes/catalogue/catalogue');
const { buildCall } = require('../../nodes/catalogue/call');
const { ParamResolver } = require('../../nodes/node-red/params');
const { catalogTranslate } = require('../../nodes/node-red/i18n');
const { useClient } = require('../helpers/client');

const t = catalogTranslate();

/** What Comet receives for `msg` sent to `type`'s `operation` (fields blank: all from msg). */
async function received(server, client, type, operation, msg) {
  const endpoint = CATALOGUE[type].operations[operation];
  // Blank fields never touch RED or the node: every value is read from the msg.
  const values = await new ParamResolver(null, null, {}, endpoint, t).resolve(msg, undefined);
  const call = buildCall(endpoint, values);
  server.clearRequests();
  server.fault(() => true, { status: 200, body: {} });
  await client.json(call);
  assert.equal(server.requests.length, 1);
  return server.requests[0];
}

describe('client: query and body encoding of every parameter kind', function () {
  const ctx = useClient();
  let server, client;
  beforeEach(() => ({ server, client } = ctx));

  const awkward = ['a b', 'a&b=c', 'a+b', '100%', 'ü/é', '#top?x=1', ' padded ', 'x%2Fy', 'emoji 🚀', "o'neil \"q\""];
  for (const text of awkward) {
    it(`string ${JSON.stringify(text)} arrives unchanged, under the API's own names`, async function () {
      const request = await received(server, client, 'comet-get-projects', 'projectsPage', { workspace: text, search: text, owner: text });
      assert.equal(request.path, 'projects/page');
      assert.deepEqual(request.query, { workspaceName: text, owner: text, search: text });
    });
  }

  it('integer, boolean and enum values go as their text; absent optional ones are not sent', async function () {
    const request = await received(server, client, 'comet-get-projects', 'projectsPage', {
      workspace: 'ml-team',
      offset: 0,
      count: '25',
      order: 'desc',
      public: false,
      starterProject: 'TRUE',
    });
    assert.deepEqual(request.query, { workspaceName: 'ml-team', offset: '0', count: '25', order: 'desc', public: 'false', starterProject: 'true' });
  });

  it('a number given for a string parameter goes as its text', async function () {
    const request = await received(server, client, 'comet-get-registry-model', 'latestVersion', { workspace: 'ml-team', modelName: 42, versionMajor: 2 });
    assert.deepEqual(request.query, { workspaceName: 'ml-team', modelName: '42', versionMajor: '2' });
  });

  it('an enum with an API name (assetType -> type)', async function () {
    const request = await received(server, client, 'comet-get-experiment', 'assets', { experimentKey: 'k1', assetType: 'image' });
    assert.deepEqual(request.query, { experimentKey: 'k1', type: 'image' });
  });

  it('string lists and booleans of a POST go in the JSON body as arrays and booleans', async function () {
    const request = await received(server, client, 'comet-get-metrics', 'chart', {
      experimentKeys: ['k1', 'k 2'],
      metrics: 'loss, acc',
      independentMetrics: 'true',
      fetchFull: false,
    });
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.query, {});
    assert.deepEqual(request.body, { targetedExperiments: ['k1', 'k 2'], metrics: ['loss', 'acc'], independentMetrics: true, fetchFull: false });
  });

  it('a JSON array given as text (predicates) goes as the array', async function () {
    const predicates = [{ id: 'metrics.loss', operator: 'less', value: 0.5, type: 'double' }];
    const request = await received(server, client, 'comet-query-project', 'query', { projectId: 'p&1', predicates: JSON.stringify(predicates), archived: true });
    assert.deepEqual(request.body, { projectId: 'p&1', predicates, archived: true });
  });

  it('only the first complete alternative is sent (projectId, not also projectName)', async function () {
    const request = await received(server, client, 'comet-query-project', 'experiments', { projectId: 'p1', projectName: 'churn', workspace: 'ml-team' });
    assert.deepEqual(request.query, { projectId: 'p1' });
  });

  for (const templateId of ['tmpl 1', 'a%2Fb', 'ü?x#y']) {
    it(`a path parameter ${JSON.stringify(templateId)} is one encoded path segment`, async function () {
      const endpoint = CATALOGUE['comet-download-model'].operations.panel;
      const values = await new ParamResolver(null, null, {}, endpoint, t).resolve({ templateId }, undefined);
      server.clearRequests();
      server.fault(() => true, { status: 200, body: Buffer.from('zip') });
      await client.raw(buildCall(endpoint, values));
      assert.equal(server.requests[0].path, `template/${templateId}/download`);
      assert.deepEqual(server.requests[0].query, {});
    });
  }

  it('a call whose path would leave the REST root is refused before anything is sent', async function () {
    server.clearRequests();
    for (const path of ['../admin', '/api/rest/v2/x', 'http://evil.example/x', 'a/../../b', 'x?y=1', '\\\\evil']) {
      await assert.rejects(client.json({ endpoint: 'custom', method: 'GET', path }), { code: 'COMET_BAD_INPUT' });
    }
    assert.equal(server.requests.length, 0);
  });
});
