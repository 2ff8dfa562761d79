'use strict';
// The lookups behind Node-RED's own login (settings.adminAuth): a real
// Node-RED process with this checkout installed, a read-only user and a full
// one. Suggestions need the read permission comet-config.read; Test
// connection, which takes a key and a server from the request, needs write.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { createSampleServer } = require('../../sample-server');
const { until } = require('../helpers/wait');
const { freePort, makeUserDir, linkPackage, nodeRedDir, writeSettings, startNodeRed } = require('../../scripts/lib/node-red');

const SAMPLE_KEY = 'sample-key';
const PASSWORD = 'lookups-test-password';
/** Node-RED's own bcrypt, as its settings.js expects a password hash. */
const bcrypt = require(require.resolve('bcryptjs', { paths: [nodeRedDir()] }));

describe('editor lookups with adminAuth', function () {
  this.timeout(60000);
  let sample;
  let nodeRed;
  let userDir;
  const tokens = {};

  /** A request to Node-RED's admin API as `user` (undefined: anonymous); resolves with { status, body }. */
  async function call(user, path, { method = 'GET', body } = {}) {
    const headers = { accept: 'application/json' };
    if (user) headers.authorization = `Bearer ${tokens[user]}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${nodeRed.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, body: text && /json/.test(res.headers.get('content-type') || '') ? JSON.parse(text) : undefined };
  }

  before(async () => {
    sample = await createSampleServer();
    userDir = makeUserDir('node-red-comet-auth-');
    linkPackage(userDir);
    const port = await freePort();
    const password = bcrypt.hashSync(PASSWORD, 8);
    writeSettings(userDir, port, {
      adminAuth: {
        type: 'credentials',
        users: [
          { username: 'viewer', password, permissions: 'read' },
          { username: 'admin', password, permissions: '*' },
        ],
      },
    });
    nodeRed = await startNodeRed({ userDir, port });
    for (const [user, scope] of [['viewer', 'read'], ['admin', '*']]) {
      const res = await fetch(`${nodeRed.url}auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope, username: user, password: PASSWORD }),
      });
      assert.equal(res.status, 200, `no token for ${user}`);
      tokens[user] = (await res.json()).access_token;
    }
    const flow = [{ id: 'cfg', type: 'comet-config', name: 'sample', baseUrl: sample.url, workspace: 'ml-team', credentials: { apiKey: SAMPLE_KEY } }];
    const deployed = await fetch(`${nodeRed.url}flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}`, 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flow),
    });
    assert.equal(deployed.status, 204);
    // The deploy answers before the flows have started.
    await until(async () => (await call('admin', 'comet-config/cfg/lookup/workspaces')).status === 200, { message: 'the config node to start' });
  });

  after(async () => {
    if (nodeRed) await nodeRed.stop();
    if (sample) await sample.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('an anonymous request gets 401, and nothing is asked of Comet', async () => {
    sample.clearRequests();
    const answer = await call(undefined, 'comet-config/cfg/lookup/workspaces');
    assert.equal(answer.status, 401);
    assert.equal(sample.requests.length, 0);
  });

  it('a read-only user gets suggestions', async () => {
    const answer = await call('viewer', 'comet-config/cfg/lookup/projects');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.map((s) => s.value), ['churn', 'fraud', 'sandbox']);
    assert.ok(!answer.text.includes(SAMPLE_KEY));
  });

  it('the filter preview: 401 anonymous, nothing asked; a read-only user gets the predicates', async () => {
    sample.clearRequests();
    const path = `comet-config/cfg/filter?projectName=churn&filter=${encodeURIComponent('accuracy > 0.8')}`;
    assert.equal((await call(undefined, path)).status, 401);
    assert.equal(sample.requests.length, 0);
    const answer = await call('viewer', path);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.queries[0][0].query.rules[0].operator, 'greater');
  });

  it('a full user gets them too; an undeployed config node is a 404 saying to deploy it', async () => {
    assert.equal((await call('admin', 'comet-config/cfg/lookup/models')).status, 200);
    const undeployed = await call('admin', 'comet-config/nowhere/lookup/models');
    assert.equal(undeployed.status, 404);
    assert.match(undeployed.body.error, /Deploy the config node/);
  });

  it('Test connection is for users who may write: read-only gets 401, a full user an answer', async () => {
    const body = { id: 'cfg', baseUrl: sample.url, apiKey: '__PWRD__' };
    assert.equal((await call('viewer', 'comet-config/test', { method: 'POST', body })).status, 401);
    const tested = await call('admin', 'comet-config/test', { method: 'POST', body });
    assert.equal(tested.status, 200);
    assert.equal(tested.body.ok, true);
  });
});
