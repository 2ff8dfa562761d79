'use strict';
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { useNodeTest, loadNode, succeed, onlyRequest, describeOperations, describeBadInputs, describeWorkspaceChain, describeMessageHandling } = require('./harness');

const TYPE = 'comet-query-project';
const churn = ids.projects.churn;
const e = ids.experiments;

/** Comet's own example shape: experiments whose last accuracy is above `value`. */
const accuracyAbove = (value) => [
  { source: 'metrics', query: { condition: 'AND', rules: [{ id: 'accuracy', field: 'accuracy', type: 'double', input: 'text', operator: 'greater', value }], valid: true } },
];

describe('comet-query-project', function () {
  const ctx = useNodeTest();

  describe('operations', function () {
    describeOperations(ctx, TYPE, [
      {
        title: 'query by projectId: POST project/query, predicates and archived in the body',
        operation: 'query',
        msg: { projectId: churn, predicates: accuracyAbove(0.85), archived: false },
        method: 'POST',
        path: 'project/query',
        body: { projectId: churn, predicates: accuracyAbove(0.85), archived: false },
        check: (p) => assert.deepEqual(p, { experimentKeys: [e['xgb-depth6'], e['xgb-depth8'], e['xgb-depth10']], experimentsInProject: 6 }),
        status: '3 keys',
      },
      {
        title: 'query by projectName + workspace, predicates as JSON text',
        operation: 'query',
        msg: { projectName: 'churn', workspace: 'ml-team', predicates: JSON.stringify(accuracyAbove(0.88)) },
        method: 'POST',
        path: 'project/query',
        body: { projectName: 'churn', workspaceName: 'ml-team', predicates: accuracyAbove(0.88) },
        check: (p) => assert.deepEqual(p.experimentKeys, [e['xgb-depth8']]),
        status: '1 key',
      },
      {
        title: 'query of archived experiments, no condition',
        operation: 'query',
        msg: { projectId: churn, predicates: [], archived: 'true' },
        method: 'POST',
        path: 'project/query',
        body: { projectId: churn, predicates: [], archived: true },
        check: (p) => assert.deepEqual(p.experimentKeys, ids.archivedExperiments),
      },
      {
        operation: 'experiments',
        msg: { projectId: ids.projects.fraud, archived: false },
        path: 'experiments',
        query: { projectId: ids.projects.fraud, archived: 'false' },
        check: (p) => assert.deepEqual(p.experiments.map((x) => x.experimentName), ['fraud-iforest', 'fraud-xgb', 'fraud-xgb-tuned']),
        status: '3 experiments',
      },
      {
        title: 'experiments by projectName, workspace from the config node',
        operation: 'experiments',
        msg: { projectName: 'sandbox' },
        path: 'experiments',
        query: { projectName: 'sandbox', workspaceName: 'ml-team' },
        check: (p) => assert.deepEqual(p, { experiments: [] }),
        status: '0 experiments',
      },
    ]);
  });

  describe('where values come from', function () {
    it('a value set in the node wins over msg: JSON predicates, a project id', async function () {
      const loaded = await loadNode(ctx.server, {
        type: TYPE,
        operation: 'query',
        projectId: churn,
        projectIdType: 'str',
        predicates: JSON.stringify(accuracyAbove(0.88)),
        predicatesType: 'json',
      });
      const out = await succeed(loaded, { projectId: ids.projects.fraud, predicates: [] });
      assert.deepEqual(onlyRequest(ctx.server).body, { projectId: churn, predicates: accuracyAbove(0.88) });
      assert.deepEqual(out.payload.experimentKeys, [e['xgb-depth8']]);
    });

    it('with both projectId and projectName, only projectId is sent', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'experiments' });
      await succeed(loaded, { projectId: churn, projectName: 'fraud', workspace: 'ml-team' });
      assert.deepEqual(onlyRequest(ctx.server).query, { projectId: churn });
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    describeBadInputs(ctx, TYPE, [
      ['query', { predicates: [] }, ['project/query needs projectId, or projectName + workspace']],
      ['query', { projectName: 'churn', predicates: [] }, ['projectId, or projectName + workspace'], {}, { workspace: '' }],
      ['query', { projectId: churn }, ['project/query needs filter, or predicates']],
      ['query', { projectId: churn, predicates: '[{"source": "metrics",' }, ['predicates is not valid JSON text']],
      ['query', { projectId: churn, predicates: { source: 'metrics' } }, ['predicates must be an array, or JSON text of one', 'an object']],
      ['query', { projectId: churn, predicates: '{"source": "metrics"}' }, ['predicates must be an array']],
      ['query', { projectId: churn, predicates: [], archived: 2 }, ['archived must be true or false', 'number 2']],
      ['experiments', { workspace: 'ml-team' }, ['experiments needs projectId, or projectName + workspace']],
    ]);
  });

  describeWorkspaceChain(ctx, TYPE, 'experiments', { projectName: 'vision' }, { missing: ['experiments needs projectId, or projectName + workspace'] });
  describeMessageHandling(ctx, TYPE, { operation: 'query', msg: { projectId: churn, predicates: accuracyAbove(0.85) }, summary: '3 keys' });
});
