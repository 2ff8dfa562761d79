'use strict';
// Code panels, dashboards (views) and panel instances' stores: the panel
// templates of a workspace, one template as JSON or (template/{id}/download,
// a path with the id in it, matched by index.js) as a zip of its files, the
// dashboard templates of a project, and a panel instance's viz store.

const { buildZip } = require('../zip');
const { ApiError, json, raw, need, workspace } = require('./common');

function panelJson(ctx, t) {
  return {
    templateId: t.templateId,
    owner: t.owner,
    teamId: t.teamId,
    templateName: t.templateName,
    queryBuilderId: t.queryBuilderId,
    code: JSON.parse(JSON.stringify(t.code)),
    rank: { templateId: t.templateId, voteCount: 0, userVoteType: 'NOVOTE' },
    scopeType: t.scopeType,
    revisionId: t.revisionId,
    createdAt: t.createdAt,
    thumbnailName: `template-thumbnail-${t.templateId}`,
    editable: t.owner === ctx.user.userName,
  };
}

/** The template named by templateId, or by the panel instance instanceId shows. */
function panelTemplateId(ctx) {
  const { templateId, instanceId } = ctx.query;
  if (templateId) return templateId;
  if (!instanceId) throw new ApiError(400, 'Missing required query parameter: templateId or instanceId');
  const inst = ctx.data.panelInstances.find((i) => i.instanceId === instanceId);
  if (!inst) throw new ApiError(404, 'Panel instance not found');
  return inst.templateId;
}

function panelTemplate(ctx, templateId) {
  const t = ctx.data.panels.find((x) => x.templateId === templateId);
  if (!t) throw new ApiError(404, 'Panel template not found');
  return t;
}

function dashboardJson(d) {
  const table = '{"selection":[],"pageSize":25,"pageNumber":0,"sorting":[{"columnName":"end_server_timestamp","direction":"desc"}]}';
  return {
    project_id: d.projectId,
    template_name: d.templateName,
    template_id: d.templateId,
    experimentQueryState: '{"filters":[],"activeSegment":{}}',
    dashboardChartState: '{"downsample_size":1000,"entire_row_charts":false,"smoothing":0.5}',
    reactGridTableState: table,
    v2: {
      reactGridTableState: table,
      toggles: {
        DASHBOARD_TOGGLE: { isVisible: true, toggleId: 'DASHBOARD_TOGGLE' },
        EXPERIMENT_TABLE_TOGGLE: { isVisible: true, toggleId: 'EXPERIMENT_TABLE_TOGGLE' },
      },
    },
    source: '',
    current: false,
    unsaved_view: d.templateId.startsWith('owner-unsaved-'),
    created_by: d.createdBy,
    project_default: false,
    pinnedExperiments: [],
    codePanelTemplateIds: d.codePanelTemplateIds.slice(),
    isAutoRefreshEnabled: true,
  };
}

const routes = {
  'GET code-panel/get-all': (ctx) => {
    const ws = workspace(ctx, 'workspace');
    return json({
      codePanelTemplateRows: ctx.data.panels.filter((t) => t.workspaceName === ws).map((t) => ({
        templateId: t.templateId, owner: t.owner, teamId: t.teamId, templateName: t.templateName,
        queryBuilderId: t.queryBuilderId, scopeType: t.scopeType, revisionId: t.revisionId, createdAt: t.createdAt,
      })),
    });
  },

  'GET code-panel/download': (ctx) => json(panelJson(ctx, panelTemplate(ctx, panelTemplateId(ctx)))),

  'GET dashboard-template/get-all': (ctx) => {
    const ws = workspace(ctx, 'workspace');
    return json({
      dashboardTemplates: ctx.data.dashboards.filter((d) => d.workspaceName === ws).map((d) => ({
        templateId: d.templateId, templateName: d.templateName, projectId: d.projectId, projectName: d.projectName, createdBy: d.createdBy,
      })),
    });
  },

  'GET dashboard-template/download': (ctx) => {
    const projectId = need(ctx, 'projectId');
    const templateId = need(ctx, 'templateId');
    const d = ctx.data.dashboards.find((x) => x.templateId === templateId && x.projectId === projectId);
    if (!d) throw new ApiError(404, 'Dashboard template not found');
    return json(dashboardJson(d));
  },

  'GET viz-instance/store/get': (ctx) => {
    const instanceId = need(ctx, 'instanceId');
    const projectId = need(ctx, 'projectId');
    const inst = ctx.data.panelInstances.find((i) => i.instanceId === instanceId && i.projectId === projectId);
    if (!inst) throw new ApiError(404, 'Panel instance not found');
    return json({ store: JSON.parse(JSON.stringify(inst.store)) });
  },
};

const TEMPLATE_DOWNLOAD = /^template\/([^/]+)\/download$/;

function templateDownload(ctx, templateId) {
  const t = panelTemplate(ctx, templateId);
  const j = panelJson(ctx, t);
  return raw(buildZip([
    { name: 'template.json', data: JSON.stringify(j, null, 2) },
    { name: t.code.type === 'py' ? 'code.py' : 'code.js', data: t.code.type === 'py' ? t.code.pyCode : t.code.code },
    { name: 'style.css', data: t.code.css },
    { name: 'index.html', data: t.code.html },
  ]), `${t.templateId}.zip`);
}

module.exports = { routes, TEMPLATE_DOWNLOAD, templateDownload };
