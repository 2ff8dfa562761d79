'use strict';
const assert = require('node:assert/strict');
const { useNodeTest, loadNode, succeed, fail, onlyRequest, describeOperations, describeBadInputs, describeWorkspaceChain, describeMessageHandling } = require('./harness');

const TYPE = 'comet-get-registry-model';

describe('comet-get-registry-model', function () {
  const ctx = useNodeTest();

  describe('operations', function () {
    describeOperations(ctx, TYPE, [
      {
        operation: 'models',
        msg: { workspace: 'ml-team' },
        path: 'registry-model',
        query: { workspaceName: 'ml-team' },
        check: (p) => {
          assert.deepEqual(p.registryModels.map((m) => m.modelName), ['churn-model', 'fraud-detector']);
          assert.equal(p.registryModels[0].latestVersion.version, '1.2.0');
        },
        status: '2 models',
      },
      {
        operation: 'count',
        msg: { workspace: 'ml-team' },
        path: 'registry-model/count',
        query: { workspaceName: 'ml-team' },
        check: (p) => assert.deepEqual(p, { registryModelCount: 2 }),
        status: '2 models',
      },
      {
        operation: 'details',
        msg: { workspace: 'ml-team', modelName: 'churn-model' },
        path: 'registry-model/details',
        query: { workspaceName: 'ml-team', modelName: 'churn-model' },
        check: (p) => assert.deepEqual(p.versions.map((v) => [v.version, v.stages]), [['1.0.0', ['archived']], ['1.1.0', ['staging']], ['1.2.0', ['production']]]),
        status: '3 versions',
      },
      {
        operation: 'latestVersion',
        msg: { workspace: 'ml-team', modelName: 'churn-model', stage: 'staging', versionMajor: 1, versionMinor: '1' },
        path: 'registry-model/latest_version',
        query: { workspaceName: 'ml-team', modelName: 'churn-model', stage: 'staging', versionMajor: '1', versionMinor: '1' },
        check: (p) => assert.deepEqual(p.versions.map((v) => v.version), ['1.1.0']),
        status: 'done',
      },
      {
        title: 'latestVersion with no filter: the latest of all',
        operation: 'latestVersion',
        msg: { modelName: 'fraud-detector' },
        path: 'registry-model/latest_version',
        query: { workspaceName: 'ml-team', modelName: 'fraud-detector' },
        check: (p) => assert.deepEqual(p.versions.map((v) => v.version), ['1.0.0']),
      },
      {
        operation: 'notes',
        msg: { workspace: 'ml-team', modelName: 'fraud-detector' },
        path: 'registry-model/notes',
        query: { workspaceName: 'ml-team', modelName: 'fraud-detector' },
        check: (p) => assert.deepEqual(p, { notes: 'Threshold 0.83 chosen for 1% FPR.' }),
      },
    ]);
  });

  describe('answers worth a closer look', function () {
    it('a new version shows in the next answer (the sample registry changed as Comet would)', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'latestVersion', modelName: 'churn-model', modelNameType: 'str' });
      ctx.server.registry.addVersion('ml-team', 'churn-model', '1.3.0', { stages: ['staging'] });
      const out = await succeed(loaded, { stage: 'staging' });
      assert.equal(out.payload.versions[0].version, '1.3.0');
      ctx.server.registry.deleteVersion('ml-team', 'churn-model', '1.3.0');
    });

    it("an unknown model: COMET_NOT_FOUND from Comet's sdk_error_code 42008", async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'details' });
      const caught = await fail(loaded, { modelName: 'no-such-model' });
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.deepEqual(caught.error.cause, { code: 'COMET_NOT_FOUND', statusCode: 400, sdkErrorCode: 42008, endpoint: 'registry-model/details' });
    });
  });

  describe('where values come from', function () {
    it('a value set in the node wins over msg', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'latestVersion', modelName: 'churn-model', modelNameType: 'str', versionMajor: '1', versionMajorType: 'num' });
      await succeed(loaded, { modelName: 'fraud-detector', versionMajor: 0 });
      assert.deepEqual(onlyRequest(ctx.server).query, { workspaceName: 'ml-team', modelName: 'churn-model', versionMajor: '1' });
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    describeBadInputs(ctx, TYPE, [
      ['details', {}, ['modelName is missing', '"Model name" field', 'msg.modelName']],
      ['notes', { modelName: '' }, ['modelName is missing']],
      ['latestVersion', { modelName: 'churn-model', versionMajor: 'one' }, ['versionMajor must be a whole number', '"one"']],
      ['latestVersion', { modelName: 'churn-model', versionMinor: 1.5 }, ['versionMinor must be a whole number']],
      ['latestVersion', { modelName: 'churn-model', stage: ['production'] }, ['stage must be text']],
    ]);
  });

  describeWorkspaceChain(ctx, TYPE, 'models');
  describeWorkspaceChain(ctx, TYPE, 'details', { modelName: 'churn-model' });
  describeMessageHandling(ctx, TYPE, { operation: 'count', msg: {}, summary: '2 models' });
});
