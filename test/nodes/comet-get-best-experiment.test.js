'use strict';
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { useNodeTest, loadNode, succeed, fail, onlyRequest, describeOperations, describeBadInputs, describeMessageHandling } = require('./harness');

const TYPE = 'comet-get-best-experiment';
const sweep = ids.optimizationId;

describe('comet-get-best-experiment', function () {
  const ctx = useNodeTest();

  describe('operations', function () {
    describeOperations(ctx, TYPE, [
      {
        title: 'best by lowest loss: GET get-best-experiment',
        operation: 'best',
        msg: { optimizationId: sweep, metricName: 'loss', goal: 'min' },
        path: 'get-best-experiment',
        query: { optimizationId: sweep, metricName: 'loss', goal: 'min' },
        check: (p) => {
          assert.equal(p.experimentKey, ids.bestExperimentByLoss);
          assert.equal(p.experimentCount, 4);
          assert.equal(typeof p.metricValue, 'number');
        },
        status: 'done',
      },
      {
        title: 'best by highest accuracy',
        operation: 'best',
        msg: { optimizationId: sweep, metricName: 'accuracy', goal: 'max' },
        path: 'get-best-experiment',
        query: { optimizationId: sweep, metricName: 'accuracy', goal: 'max' },
        check: (p) => assert.equal(p.experimentKey, ids.experiments['xgb-depth8']),
      },
    ]);
  });

  describe('where values come from', function () {
    it('values set in the node win over msg; an operation absent from the flow is "best"', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, optimizationId: sweep, optimizationIdType: 'str', goal: 'max', goalType: 'str' });
      await succeed(loaded, { optimizationId: 'other', metricName: 'accuracy', goal: 'min' });
      assert.deepEqual(onlyRequest(ctx.server).query, { optimizationId: sweep, metricName: 'accuracy', goal: 'max' });
    });

    it('an unknown optimizer: COMET_NOT_FOUND', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE });
      const caught = await fail(loaded, { optimizationId: 'nope', metricName: 'loss', goal: 'min' });
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.match(caught.error.message, /optimizationId "nope"/);
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    describeBadInputs(ctx, TYPE, [
      ['best', { metricName: 'loss', goal: 'min' }, ['optimizationId is missing', '"Optimizer id" field', 'msg.optimizationId']],
      ['best', { optimizationId: sweep, goal: 'min' }, ['metricName is missing']],
      ['best', { optimizationId: sweep, metricName: 'loss' }, ['goal is missing']],
      ['best', { optimizationId: sweep, metricName: 'loss', goal: 'lowest' }, ['goal must be one of min, max', '"lowest"']],
      ['best', { optimizationId: sweep, metricName: 'loss', goal: 'MIN' }, ['goal must be one of min, max']],
    ]);
  });

  describeMessageHandling(ctx, TYPE, { operation: 'best', msg: { optimizationId: sweep, metricName: 'loss', goal: 'min' }, summary: 'done' });
});
