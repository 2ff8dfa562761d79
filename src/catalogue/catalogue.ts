/**
 * The one catalogue of Comet's REST API v2 read endpoints, grouped by the node
 * that reaches them. The runtime builds requests from it, the editor builds
 * each dialog from it (scripts/build-editor-catalogue.js copies it to
 * resources/catalogue.js), and the tests check it against Comet's own list.
 * Adding an endpoint is one entry here, plus its words in the locale files.
 */
import { SHAPE } from './series';
import type { EndpointSpec, NodeSpec, ParamSpec } from './spec';

// Parameters that many endpoints share, named once.
const experimentKey: ParamSpec = { name: 'experimentKey', kind: 'string', required: true };
const workspace: ParamSpec = { name: 'workspace', kind: 'string', required: true, apiName: 'workspaceName' };
/** Panels, dashboards and artifacts call the same thing `workspace`. */
const workspaceShort: ParamSpec = { name: 'workspace', kind: 'string', required: true };
const modelName: ParamSpec = { name: 'modelName', kind: 'string', required: true };
const projectId: ParamSpec = { name: 'projectId', kind: 'string' };
const projectName: ParamSpec = { name: 'projectName', kind: 'string' };
const archived: ParamSpec = { name: 'archived', kind: 'boolean' };
const templateId: ParamSpec = { name: 'templateId', kind: 'string' };
const instanceId: ParamSpec = { name: 'instanceId', kind: 'string' };

/** "projectId, or projectName + workspace" */
const project = {
  params: [projectId, projectName, { ...workspace, required: false }],
  oneOf: [['projectId'], ['projectName', 'workspace']],
} as const;

function experimentGet(path: string, extra: Partial<EndpointSpec> = {}): EndpointSpec {
  return { method: 'GET', path, params: [experimentKey], answer: 'json', ...extra };
}

export const CATALOGUE = {
  'comet-get-projects': {
    operations: {
      workspaces: { method: 'GET', path: 'workspaces', params: [], answer: 'json', count: 'workspaceNames', noun: 'workspaces' },
      projects: { method: 'GET', path: 'projects', params: [workspace], answer: 'json', count: 'projects' },
      projectsPage: {
        method: 'GET',
        path: 'projects/page',
        params: [
          workspace,
          { name: 'offset', kind: 'integer' },
          { name: 'count', kind: 'integer' },
          { name: 'sort', kind: 'string' },
          { name: 'order', kind: 'enum', values: ['asc', 'desc'] },
          { name: 'owner', kind: 'string' },
          { name: 'public', kind: 'boolean' },
          { name: 'starterProject', kind: 'boolean' },
          { name: 'search', kind: 'string' },
        ],
        answer: 'json',
        count: 'rows',
        noun: 'projects',
      },
      project: { method: 'GET', path: 'project', ...project, answer: 'json' },
      columns: { method: 'GET', path: 'project/column-names', params: [...project.params, archived], oneOf: project.oneOf, answer: 'json', count: 'columns' },
      notes: { method: 'GET', path: 'project/notes', ...project, resolvesProjectId: true, answer: 'json' },
      shareLinks: { method: 'GET', path: 'project/get-project-share-links', ...project, resolvesProjectId: true, answer: 'json', count: 'shareCodes', noun: 'shareLinks' },
      account: { method: 'GET', path: 'account-details', params: [], answer: 'json' },
    },
  },
  'comet-query-project': {
    operations: {
      query: {
        method: 'POST',
        path: 'project/query',
        params: [...project.params, { name: 'predicates', kind: 'jsonArray' }, archived],
        oneOf: project.oneOf,
        // A filter is compiled into predicates (src/filter/), one query per branch of its `or`s; never sent as it is.
        options: [{ name: 'filter', kind: 'filter' }],
        anyOf: ['filter', 'predicates'],
        exclusive: ['filter', 'predicates'],
        answer: 'json',
        count: 'experimentKeys',
        noun: 'keys',
      },
      experiments: { method: 'GET', path: 'experiments', params: [...project.params, archived], oneOf: project.oneOf, answer: 'json', count: 'experiments' },
    },
  },
  'comet-get-experiment': {
    operations: {
      metadata: experimentGet('experiment/metadata'),
      gitMetadata: experimentGet('experiment/git/metadata'),
      gitPatch: experimentGet('experiment/git/patch', { answer: 'raw' }),
      html: experimentGet('experiment/html'),
      code: experimentGet('experiment/code'),
      output: experimentGet('experiment/output'),
      graph: experimentGet('experiment/graph'),
      cloudDetails: experimentGet('experiment/cloud-details'),
      parameters: experimentGet('experiment/parameters', { count: 'values', noun: 'parameters' }),
      others: experimentGet('experiment/log-other', { count: 'values' }),
      tags: experimentGet('experiment/tags', { count: 'tags' }),
      systemDetails: experimentGet('experiment/system-details'),
      assets: experimentGet('experiment/asset/list', {
        params: [
          experimentKey,
          {
            name: 'assetType',
            kind: 'enum',
            apiName: 'type',
            values: ['all', 'unknown', 'audio', 'video', 'image', 'histogram3d', 'histogram_combined_3d', 'confusion-matrix'],
          },
        ],
        count: 'assets',
      }),
      assetDetails: experimentGet('experiment/asset/details', { params: [experimentKey, { name: 'assetId', kind: 'string', required: true }] }),
      models: experimentGet('experiment/model', { count: 'models' }),
      modelAssets: experimentGet('experiment/model/asset/list', { params: [experimentKey, modelName], count: 'assets' }),
    },
  },
  'comet-get-metrics': {
    operations: {
      metric: experimentGet('experiment/metrics/get-metric', {
        params: [experimentKey, { name: 'metricName', kind: 'string', required: true }],
        count: 'metrics',
        noun: 'values',
        countLabel: 'metricName',
        options: [SHAPE],
        series: 'metric',
      }),
      summary: experimentGet('experiment/metrics/summary', { count: 'values', noun: 'metrics' }),
      chart: {
        method: 'POST',
        path: 'experiments/multi-metric-chart',
        params: [
          { name: 'experimentKeys', kind: 'stringList', required: true, apiName: 'targetedExperiments', alsoFrom: 'payload.experimentKeys' },
          { name: 'metrics', kind: 'stringList', required: true },
          { name: 'params', kind: 'stringList' },
          { name: 'independentMetrics', kind: 'boolean' },
          { name: 'fetchFull', kind: 'boolean' },
        ],
        answer: 'json',
        count: 'experiments',
        options: [SHAPE],
        series: 'chart',
      },
    },
  },
  'comet-get-registry-model': {
    operations: {
      models: { method: 'GET', path: 'registry-model', params: [workspace], answer: 'json', count: 'registryModels', noun: 'models' },
      count: { method: 'GET', path: 'registry-model/count', params: [workspace], answer: 'json', count: 'registryModelCount', noun: 'models' },
      details: { method: 'GET', path: 'registry-model/details', params: [workspace, modelName], answer: 'json', count: 'versions' },
      latestVersion: {
        method: 'GET',
        path: 'registry-model/latest_version',
        params: [
          workspace,
          modelName,
          { name: 'stage', kind: 'string' },
          { name: 'versionMajor', kind: 'integer' },
          { name: 'versionMinor', kind: 'integer' },
        ],
        answer: 'json',
      },
      notes: { method: 'GET', path: 'registry-model/notes', params: [workspace, modelName], answer: 'json' },
    },
  },
  'comet-download-model': {
    operations: {
      registryModel: {
        method: 'GET',
        path: 'registry-model/item/download',
        params: [workspace, modelName, { name: 'version', kind: 'string' }, { name: 'stage', kind: 'string' }],
        exclusive: ['version', 'stage'],
        answer: 'download',
      },
      experimentModel: { method: 'GET', path: 'experiment/model/download', params: [experimentKey, modelName], answer: 'download' },
      asset: {
        method: 'GET',
        path: 'experiment/asset/get-asset',
        params: [experimentKey, { name: 'assetId', kind: 'string', required: true }],
        answer: 'download',
      },
      artifact: {
        method: 'GET',
        path: 'artifacts/version/download',
        params: [
          workspaceShort,
          { name: 'artifactName', kind: 'string', required: true },
          { name: 'artifactId', kind: 'string' },
          { name: 'versionId', kind: 'string' },
          { name: 'version', kind: 'string' },
          { name: 'alias', kind: 'string' },
          { name: 'versionOrAlias', kind: 'string' },
          { ...experimentKey, required: false },
          { name: 'project', kind: 'string' },
        ],
        answer: 'download',
      },
      panel: {
        method: 'GET',
        path: 'template/{templateId}/download',
        params: [{ ...templateId, required: true, in: 'path' }],
        answer: 'download',
      },
    },
  },
  'comet-get-webhook-config': {
    operations: {
      config: {
        method: 'GET',
        path: 'webhooks/config',
        params: [workspace, { ...modelName, required: false }],
        answer: 'json',
        count: 'webhookUrls',
        noun: 'urls',
      },
    },
  },
  'comet-get-panels': {
    operations: {
      panels: { method: 'GET', path: 'code-panel/get-all', params: [workspaceShort], answer: 'json', count: 'codePanelTemplateRows', noun: 'panels' },
      panel: { method: 'GET', path: 'code-panel/download', params: [templateId, instanceId], oneOf: [['templateId'], ['instanceId']], answer: 'json' },
      dashboards: { method: 'GET', path: 'dashboard-template/get-all', params: [workspaceShort], answer: 'json', count: 'dashboardTemplates', noun: 'dashboards' },
      dashboard: {
        method: 'GET',
        path: 'dashboard-template/download',
        params: [{ ...projectId, required: true }, { ...templateId, required: true }],
        answer: 'json',
      },
      store: {
        method: 'GET',
        path: 'viz-instance/store/get',
        params: [{ ...instanceId, required: true }, { ...projectId, required: true }],
        answer: 'json',
      },
    },
  },
  'comet-get-best-experiment': {
    operations: {
      best: {
        method: 'GET',
        path: 'get-best-experiment',
        params: [
          { name: 'optimizationId', kind: 'string', required: true },
          { name: 'metricName', kind: 'string', required: true },
          { name: 'goal', kind: 'enum', required: true, values: ['min', 'max'] },
        ],
        answer: 'json',
      },
    },
  },
} as const satisfies Record<string, NodeSpec>;

export type CatalogueNodeType = keyof typeof CATALOGUE;

export function operationsOf(type: CatalogueNodeType): Readonly<Record<string, EndpointSpec>> {
  return CATALOGUE[type].operations;
}
