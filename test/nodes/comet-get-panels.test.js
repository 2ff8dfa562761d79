'use strict';
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { useNodeTest, loadNode, succeed, onlyRequest, describeOperations, describeBadInputs, describeWorkspaceChain, describeMessageHandling } = require('./harness');

const TYPE = 'comet-get-panels';
const [lossCurves, confusion] = ids.panelTemplateIds;
const [instance] = ids.panelInstanceIds;
const churn = ids.projects.churn;

describe('comet-get-panels', function () {
  const ctx = useNodeTest();

  describe('operations', function () {
    describeOperations(ctx, TYPE, [
      {
        operation: 'panels',
        msg: { workspace: 'ml-team' },
        path: 'code-panel/get-all',
        query: { workspace: 'ml-team' },
        check: (p) => assert.deepEqual(p.codePanelTemplateRows.map((r) => r.templateName), ['Loss Curves', 'Confusion Explorer']),
        status: '2 panels',
      },
      {
        title: 'panel by templateId: GET code-panel/download',
        operation: 'panel',
        msg: { templateId: confusion },
        path: 'code-panel/download',
        query: { templateId: confusion },
        check: (p) => {
          assert.equal(p.templateName, 'Confusion Explorer');
          assert.equal(p.code.type, 'py');
        },
        status: 'done',
      },
      {
        title: 'panel by instanceId: templateId left out',
        operation: 'panel',
        msg: { instanceId: instance },
        path: 'code-panel/download',
        query: { instanceId: instance },
        check: (p) => assert.equal(p.templateId, lossCurves),
      },
      {
        operation: 'dashboards',
        msg: { workspace: 'research' },
        path: 'dashboard-template/get-all',
        query: { workspace: 'research' },
        check: (p) => assert.deepEqual(p.dashboardTemplates.map((d) => d.templateName), ['Backbone comparison']),
        status: '1 dashboard',
      },
      {
        operation: 'dashboard',
        msg: { projectId: churn, templateId: ids.dashboardTemplateId },
        path: 'dashboard-template/download',
        query: { projectId: churn, templateId: ids.dashboardTemplateId },
        check: (p) => assert.deepEqual([p.template_name, p.codePanelTemplateIds], ['Churn overview', [lossCurves, confusion]]),
      },
      {
        operation: 'store',
        msg: { instanceId: instance, projectId: churn },
        path: 'viz-instance/store/get',
        query: { instanceId: instance, projectId: churn },
        check: (p) => assert.deepEqual(p, { store: { smoothing: 0.6, metric: 'val_loss', xAxis: 'step' } }),
      },
    ]);
  });

  describe('where values come from', function () {
    it('a value set in the node wins over msg; with both ids only templateId is sent', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'panel', templateId: lossCurves, templateIdType: 'str' });
      await succeed(loaded, { templateId: confusion, instanceId: instance });
      assert.deepEqual(onlyRequest(ctx.server).query, { templateId: lossCurves });
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    describeBadInputs(ctx, TYPE, [
      ['panel', {}, ['code-panel/download needs templateId, or instanceId']],
      ['dashboard', { projectId: churn }, ['templateId is missing', '"Template id" field', 'msg.templateId']],
      ['dashboard', { templateId: ids.dashboardTemplateId }, ['projectId is missing']],
      ['store', { projectId: churn }, ['instanceId is missing']],
      ['store', { instanceId: instance }, ['projectId is missing']],
    ]);
  });

  describeWorkspaceChain(ctx, TYPE, 'panels', {}, { wire: 'workspace' });
  describeWorkspaceChain(ctx, TYPE, 'dashboards', {}, { wire: 'workspace' });
  describeMessageHandling(ctx, TYPE, { operation: 'store', msg: { instanceId: instance, projectId: churn }, summary: 'done' });
});
