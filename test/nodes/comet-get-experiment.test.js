'use strict';
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { useNodeTest, loadNode, succeed, fail, onlyRequest, describeOperations, describeBadInputs, describeMessageHandling } = require('./harness');

const TYPE = 'comet-get-experiment';
const key = ids.experiments['logreg-baseline'];

/** A case for an operation that takes only experimentKey. */
function byKey(operation, path, check, status) {
  return { operation, msg: { experimentKey: key }, path, query: { experimentKey: key }, check, status };
}

describe('comet-get-experiment', function () {
  const ctx = useNodeTest();

  describe('operations', function () {
    describeOperations(ctx, TYPE, [
      byKey('metadata', 'experiment/metadata', (p) => assert.deepEqual([p.experimentName, p.projectName, p.workspaceName], ['logreg-baseline', 'churn', 'ml-team']), 'done'),
      byKey('gitMetadata', 'experiment/git/metadata', (p) => assert.equal(p.branch, 'refs/heads/experiment')),
      {
        ...byKey('gitPatch', 'experiment/git/patch', (p) => {
          assert.ok(Buffer.isBuffer(p));
          assert.match(p.toString(), /^diff --git a\/train.py b\/train.py\n/);
        }),
        status: (p) => `${p.length} B`,
      },
      byKey('html', 'experiment/html', (p) => assert.match(p.html, /<h2>logreg-baseline<\/h2>/)),
      byKey('code', 'experiment/code', (p) => assert.match(p.code, /import comet_ml/)),
      byKey('output', 'experiment/output', (p) => assert.match(p.output, /^epoch 1\/15 loss=/)),
      byKey('graph', 'experiment/graph', (p) => assert.match(p.graph, /^Sequential/)),
      byKey('cloudDetails', 'experiment/cloud-details', (p) => assert.equal(p.provider, 'AWS')),
      byKey('parameters', 'experiment/parameters', (p) => assert.deepEqual(p.values.map((v) => v.name), ['model_type', 'learning_rate', 'batch_size', 'epochs', 'C']), '5 parameters'),
      byKey('others', 'experiment/log-other', (p) => assert.equal(p.values.find((v) => v.name === 'dataset').valueCurrent, 'churn-2024-03'), '4 values'),
      byKey('tags', 'experiment/tags', (p) => assert.deepEqual(p, { tags: ['baseline', 'logreg'] }), '2 tags'),
      byKey('systemDetails', 'experiment/system-details', (p) => assert.equal(p.pythonVersion, '3.11.8')),
      {
        operation: 'assets',
        msg: { experimentKey: key, assetType: 'image' },
        path: 'experiment/asset/list',
        query: { experimentKey: key, type: 'image' },
        check: (p) => assert.deepEqual(p.assets.map((a) => a.fileName), ['roc-curve.png', 'feature-importance.png']),
        status: '2 assets',
      },
      {
        operation: 'assetDetails',
        msg: { experimentKey: key, assetId: ids.confusionMatrixAssetId },
        path: 'experiment/asset/details',
        query: { experimentKey: key, assetId: ids.confusionMatrixAssetId },
        check: (p) => assert.equal(p.fileName, 'confusion-matrix.json'),
      },
      byKey('models', 'experiment/model', (p) => assert.deepEqual(p.models.map((m) => m.modelName), ['churn-classifier']), '1 model'),
      {
        operation: 'modelAssets',
        msg: { experimentKey: key, modelName: 'churn-classifier' },
        path: 'experiment/model/asset/list',
        query: { experimentKey: key, modelName: 'churn-classifier' },
        check: (p) => assert.deepEqual(p.assets.map((a) => a.fileName), ['model/model.pkl', 'model/MLmodel', 'requirements.txt']),
        status: '3 assets',
      },
    ]);
  });

  describe('answers worth a closer look', function () {
    it('assets without assetType: every asset, no type sent', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'assets' });
      const out = await succeed(loaded, { experimentKey: key });
      assert.deepEqual(onlyRequest(ctx.server).query, { experimentKey: key });
      assert.equal(out.payload.assets.length, 8);
    });

    it('gitPatch of an experiment without a patch: msg.payload null and a status saying so', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'gitPatch' });
      const out = await succeed(loaded, { experimentKey: ids.experimentWithoutPatch });
      assert.equal(out.payload, null);
      assert.deepEqual(await loaded.status.until((s) => s.fill === 'green'), { fill: 'green', shape: 'dot', text: 'no content: no patch for experiment' });
    });

    it('an unknown experiment key: COMET_NOT_FOUND naming the key', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'metadata' });
      const caught = await fail(loaded, { experimentKey: 'no-such-key' });
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.match(caught.error.message, /experimentKey "no-such-key"/);
    });
  });

  describe('where values come from', function () {
    it('a value set in the node wins over msg', async function () {
      const other = ids.experiments['xgb-depth8'];
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'assets', experimentKey: other, experimentKeyType: 'str', assetType: 'confusion-matrix', assetTypeType: 'str' });
      await succeed(loaded, { experimentKey: key, assetType: 'image' });
      assert.deepEqual(onlyRequest(ctx.server).query, { experimentKey: other, type: 'confusion-matrix' });
    });

    it('an operation missing from the flow JSON is the first one (metadata)', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE });
      await succeed(loaded, { experimentKey: key });
      assert.equal(onlyRequest(ctx.server).path, 'experiment/metadata');
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    describeBadInputs(ctx, TYPE, [
      ['metadata', {}, ['experimentKey is missing', '"Experiment key" field', 'msg.experimentKey']],
      ['metadata', { experimentKey: ['a'] }, ['experimentKey must be text', 'an array of 1']],
      ['metadata', { experimentKey: 'x'.repeat(5000) }, ['experimentKey is longer than 4096 characters', 'text of 5000 characters']],
      ['assets', { experimentKey: key, assetType: 'pictures' }, ['assetType must be one of all, unknown, audio', '"pictures"']],
      ['assetDetails', { experimentKey: key }, ['assetId is missing']],
      ['modelAssets', { experimentKey: key }, ['modelName is missing']],
      ['metadata', { experimentKey: key }, ['Operation "bogus" is not one of comet-get-experiment\'s'], { operation: 'bogus' }],
    ]);
  });

  describeMessageHandling(ctx, TYPE, { operation: 'tags', msg: { experimentKey: key }, summary: '2 tags' });
});
