'use strict';
// examples/webhook-deploy-on-promotion.json end to end: Comet's POST to the
// webhook node, then the same download as the polling flow.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { helper, nextMessage } = require('../helpers/runtime');
const { useWatchTest } = require('../watch/harness');
const { exampleFlow, loadExample } = require('../watch/examples');
const { captureHttpNode, serveHttpNode, post } = require('./http-node');

const SECRET = 'secret_token';

describe('examples: webhook deploy on promotion', function () {
  const ctx = useWatchTest();
  let server;
  let served;
  let folder;
  beforeEach(() => {
    ({ server } = ctx);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-webhook-'));
  });
  afterEach(async () => {
    await served?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('unpacks the version a stage webhook promotes to production; a staging one does nothing', async () => {
    const flow = exampleFlow('webhook-deploy-on-promotion', { server, folder });
    const hook = flow.find((n) => n.type === 'comet-webhook-in');
    const unpacked = flow.find((n) => n.name === 'unpacked files');
    await loadExample(flow, { credentials: { [hook.id]: { secret: SECRET } }, modules: [captureHttpNode] });
    served = await serveHttpNode();
    const url = `${served.base}/comet/registry`;
    const body = { workspaceName: 'ml-team', registryModelName: 'churn-model', version: '1.1.0' };

    const seen = [];
    helper.getNode(unpacked.id).on('input', (msg) => seen.push(msg));
    assert.equal((await post(url, { ...body, stages: ['staging'] }, { authorization: SECRET })).status, 200);
    const done = nextMessage(helper.getNode(unpacked.id));
    assert.equal((await post(url, { ...body, stages: ['staging', 'production'] }, { authorization: SECRET })).status, 200);
    const msg = await done;
    assert.equal(seen.length, 1);
    assert.equal(msg.topic, 'churn-model/1.1.0');
    assert.ok(Array.isArray(msg.payload) && msg.payload.length > 0);
    const download = server.requests.find((r) => r.path === 'registry-model/item/download');
    assert.deepEqual(download.query, { workspaceName: 'ml-team', modelName: 'churn-model', version: '1.1.0' });
    assert.ok(fs.readdirSync(folder, { recursive: true }).length > 0);
  });
});
