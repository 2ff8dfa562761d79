'use strict';
// The sample dataset: two workspaces of projects, experiments, metrics, assets,
// experiment models, a model registry, artifacts, panels, dashboards and webhook
// configs, all consistent with each other. createDataset() builds a fresh,
// mutable copy every time, deterministically: the same ids and values on every run.
// The records come from dataset/, one module per family; this file puts them
// together with the lookups the routes use and the changes tests make.

const { hexId, experimentKeyOf } = require('./dataset/random');
const { BASE_TIME, createStamp } = require('./dataset/clock');
const { METRIC_NAMES } = require('./dataset/metrics');
const { PROJECTS, OPTIMIZATION_ID, makeProject } = require('./dataset/projects');
const { makeExperiment } = require('./dataset/experiments');
const { semverParts, compareSemver } = require('./dataset/semver');
const { createRegistryRecords, addSampleModels } = require('./dataset/registry');
const { createRegistryMutations } = require('./dataset/registry-mutations');
const { addArtifacts, addWebhooks } = require('./dataset/artifacts-webhooks');
const { addPanels } = require('./dataset/panels');
const { setDownloadSize, setChartSize } = require('./dataset/bench-knobs');
const { createRuns } = require('./runs');
const { createTraining } = require('./dataset/training');

function emptyDataset() {
  return {
    baseTime: BASE_TIME,
    users: {
      ada: { userName: 'ada', defaultWorkspaceName: 'ml-team' },
      grace: { userName: 'grace', defaultWorkspaceName: 'research' },
      bob: { userName: 'bob', defaultWorkspaceName: 'ml-team' },
    },
    workspaces: ['ml-team', 'research'],
    projects: [],
    experiments: {}, // experimentKey -> record
    registryModels: { 'ml-team': [], research: [] }, // workspace -> [model]
    artifacts: [],
    panels: [],
    panelInstances: [],
    dashboards: [],
    webhooks: {}, // workspace -> [{ modelName|null, webhookUrls }]
    downloadSize: null,
    chart: null,
  };
}

/** The projects of PROJECTS and their experiments, numbered across all projects. */
function addProjects(data) {
  let expIndex = 0;
  PROJECTS.forEach((def, i) => {
    const project = makeProject(def, i);
    data.projects.push(project);
    for (const spec of def.experiments) {
      const exp = makeExperiment(project, spec, expIndex++);
      data.experiments[exp.experimentKey] = exp;
    }
  });
}

/** The lookups used by the routes. */
function addLookups(data) {
  data.findProject = ({ projectId, projectName, workspaceName }) => {
    if (projectId) return data.projects.find((p) => p.projectId === projectId) || null;
    return data.projects.find((p) => p.projectName === projectName && p.workspaceName === workspaceName) || null;
  };
  data.projectExperiments = (projectId, archived = false) => Object.values(data.experiments)
    .filter((e) => e.projectId === projectId && e.archived === !!archived)
    .sort((a, b) => a.startTimeMillis - b.startTimeMillis);
  data.findRegistryModel = (ws, modelName) => (data.registryModels[ws] || []).find((m) => m.modelName === modelName) || null;
  data.metricNames = (exp) => (exp.lazySeries ? exp.lazySeries.names.slice() : Object.keys(exp.metrics));
  /**
   * { steps, values, timestamps, epochs, offsets } of one metric, or null. Arrays for the
   * sample experiments, typed arrays for the generated chart-bench ones: index them, don't map them.
   */
  data.getSeries = (exp, name) => {
    if (exp.lazySeries) return exp.lazySeries.names.includes(name) ? exp.lazySeries.generate(name) : null;
    return exp.metrics[name] || null;
  };
}

function createDataset(options = {}) {
  const data = emptyDataset();
  addProjects(data);
  const stamp = createStamp();
  const records = createRegistryRecords(data, stamp);
  addSampleModels(data, records);
  addArtifacts(data);
  addPanels(data);
  addWebhooks(data);
  addLookups(data);

  // ---- knobs for benchmarks (dataset/bench-knobs.js) -------------------------
  data.setDownloadSize = (bytes) => setDownloadSize(data, bytes);
  data.setChartSize = (size) => setChartSize(data, size);

  // ---- registry mutations, as Comet's UI would make them ---------------------
  data.registry = createRegistryMutations(data, records, stamp);

  // ---- runs: started, finished, crashed, archived (for the experiment watch) --
  data.omitRunState = false;
  data.runs = createRuns(data, { makeProject, makeExperiment, hexId });
  // ---- training runs whose metrics move (for the metric watch) ---------------
  data.training = createTraining(data, data.runs);

  if (options.downloadSize) data.setDownloadSize(options.downloadSize);
  if (options.chartSize) data.setChartSize(options.chartSize);
  return data;
}

/** Identifiers other tests and demos can rely on. */
const ids = (() => {
  const ws = 'ml-team';
  const churn = Object.fromEntries(PROJECTS[0].experiments.map((e) => [e.name, experimentKeyOf(ws, 'churn', e.name)]));
  return {
    apiKey: 'sample-key',
    userName: 'ada',
    workspaces: ['ml-team', 'research'],
    defaultWorkspace: ws,
    projects: Object.fromEntries(PROJECTS.map((p) => [p.name, hexId(`project:${p.workspace}/${p.name}`)])),
    experiments: Object.fromEntries(PROJECTS.flatMap((p) => p.experiments.map((e) => [e.name, experimentKeyOf(p.workspace, p.name, e.name)]))),
    experimentWithPatch: churn['logreg-baseline'],
    experimentWithoutPatch: churn['xgb-depth4'],
    archivedExperiments: [churn['mlp-old'], churn['logreg-broken']],
    optimizationId: OPTIMIZATION_ID,
    bestExperimentByLoss: churn['xgb-depth8'],
    remoteAssetId: 'remote-asset-1',
    imageAssetId: hexId(`asset:${churn['logreg-baseline']}:roc-curve.png`),
    confusionMatrixAssetId: hexId(`asset:${churn['logreg-baseline']}:confusion-matrix.json`),
    experimentModelName: 'churn-classifier',
    registryModels: { 'churn-model': ['1.0.0', '1.1.0', '1.2.0'], 'fraud-detector': ['0.9.0', '1.0.0'] },
    artifactName: 'churn-dataset',
    panelTemplateIds: ['SzUYHmX7hnR7KrLzU1tBrHilq', 'DyfpvKGZJvrtY1jjsYuMmLgz5', 'Rk2mWq8ZtY4vBn6Hc1LpXs3Df'],
    panelInstanceIds: ['Qm7nT2wXc9ZbV4kL8pRs1JdYe', 'Hx3cV9nB2mQ7wE5rT1yU8iOpL'],
    dashboardTemplateId: 'ipPl7zaLAX9aNa9bwoCaY6HBi',
  };
})();

module.exports = { createDataset, ids, hexId, compareSemver, semverParts, METRIC_NAMES, BASE_TIME };
