'use strict';
// The example flows of examples/ that start from a watch node, run end to end
// against the sample server.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { helper, nextMessage } = require('../helpers/runtime');
const { WS, useWatchTest, pollNow } = require('./harness');
const { until } = require('../helpers/wait');
const { exampleFlow, loadExample } = require('./examples');

describe('examples: watch model flows', function () {
  const ctx = useWatchTest();
  let server;
  beforeEach(() => ({ server } = ctx));

  it('"announce new versions" announces a new version, and nothing else', async () => {
    const flow = exampleFlow('announce-new-versions', { server });
    const watch = flow.find((n) => n.type === 'comet-model-watch');
    const chat = flow.find((n) => n.name === 'chat');
    await loadExample(flow);
    const said = [];
    helper.getNode(chat.id).on('input', (msg) => said.push(msg.payload));
    await pollNow(watch.id);
    server.registry.setStages(WS, 'churn-model', '1.0.0', []);
    server.registry.addVersion(WS, 'fraud-detector', '1.1.0', { stages: ['staging'], comment: 'more trees' });
    await pollNow(watch.id);
    await until(() => said.length > 0, { timeout: 2000, message: 'the announcement' });
    assert.deepEqual(said, ['New version 1.1.0 of fraud-detector in ml-team: "more trees" (by ada, stages: staging )']);
  });

  describe('"deploy on promotion"', function () {
    let hook;
    let calls;
    let folder;
    beforeEach(async () => {
      calls = [];
      hook = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          calls.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          res.end('deploying');
        });
      });
      await new Promise((resolve) => hook.listen(0, '127.0.0.1', resolve));
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-deploy-'));
    });
    afterEach(async () => {
      await new Promise((resolve) => hook.close(resolve));
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('downloads and unpacks a version promoted to production, then calls the deploy hook; other changes do nothing', async () => {
      const flow = exampleFlow('deploy-on-promotion', { server, hookUrl: `http://127.0.0.1:${hook.address().port}/deploy`, folder });
      const watch = flow.find((n) => n.type === 'comet-model-watch');
      const deployed = flow.find((n) => n.name === 'deployed');
      await loadExample(flow);
      await pollNow(watch.id);
      server.registry.setStages(WS, 'churn-model', '1.0.0', ['staging']);
      await pollNow(watch.id);
      const done = nextMessage(helper.getNode(deployed.id));
      server.registry.setStages(WS, 'churn-model', '1.1.0', ['staging', 'production']);
      await pollNow(watch.id);
      const msg = await done;
      assert.equal(msg.statusCode, 200);
      assert.equal(calls.length, 1);
      const { body } = calls[0];
      assert.equal(calls[0].headers['content-type'], 'application/json');
      assert.match(body.eventId, /^[0-9a-f]{32}$/, "the change's id, for the deploy system to refuse a repeat");
      assert.equal(calls[0].headers['idempotency-key'], body.eventId);
      assert.deepEqual([body.model, body.version], ['churn-model', '1.1.0']);
      assert.ok(Array.isArray(body.files) && body.files.length > 0);
      const download = server.requests.find((r) => r.path === 'registry-model/item/download');
      assert.deepEqual(download.query, { workspaceName: WS, modelName: 'churn-model', version: '1.1.0' });
      assert.ok(fs.readdirSync(folder, { recursive: true }).length > 0, 'the version was unpacked');
    });
  });
});
