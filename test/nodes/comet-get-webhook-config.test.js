'use strict';
const assert = require('node:assert/strict');
const { useNodeTest, loadNode, succeed, onlyRequest, describeOperations, describeBadInputs, describeWorkspaceChain, describeMessageHandling } = require('./harness');

const TYPE = 'comet-get-webhook-config';

describe('comet-get-webhook-config', function () {
  const ctx = useNodeTest();

  describe('operations', function () {
    describeOperations(ctx, TYPE, [
      {
        title: "config of one model: GET webhooks/config with modelName",
        operation: 'config',
        msg: { workspace: 'ml-team', modelName: 'churn-model' },
        path: 'webhooks/config',
        query: { workspaceName: 'ml-team', modelName: 'churn-model' },
        check: (p) =>
          assert.deepEqual(p, {
            workspaceName: 'ml-team',
            modelName: 'churn-model',
            webhookUrls: [{ url: 'https://nodered.example.com/comet/registry', header: { Authorization: 'churn-hook-secret', Other: 'other_info' } }],
          }),
        status: '1 URL',
      },
      {
        title: "config of the whole workspace: modelName optional, not sent",
        operation: 'config',
        msg: {},
        path: 'webhooks/config',
        query: { workspaceName: 'ml-team' },
        check: (p) => assert.deepEqual(p.webhookUrls.map((w) => w.url), ['https://hooks.example.com/comet/registry']),
      },
      {
        title: 'a workspace with no webhooks',
        operation: 'config',
        msg: { workspace: 'research' },
        path: 'webhooks/config',
        query: { workspaceName: 'research' },
        check: (p) => assert.deepEqual(p, { workspaceName: 'research', modelName: null, webhookUrls: [] }),
        status: '0 URLs',
      },
    ]);
  });

  describe('where values come from', function () {
    it('a value set in the node wins over msg', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, modelName: 'churn-model', modelNameType: 'str' });
      const out = await succeed(loaded, { modelName: 'fraud-detector' });
      assert.equal(onlyRequest(ctx.server).query.modelName, 'churn-model');
      assert.equal(out.payload.modelName, 'churn-model');
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    describeBadInputs(ctx, TYPE, [
      ['config', { modelName: { name: 'churn-model' } }, ['modelName must be text', 'an object']],
      ['config', { workspace: 'ml\u0000team' }, ['workspace contains control characters']],
    ]);
  });

  describeWorkspaceChain(ctx, TYPE, 'config');
  describeMessageHandling(ctx, TYPE, { operation: 'config', msg: { modelName: 'churn-model' }, summary: '1 URL' });
});
