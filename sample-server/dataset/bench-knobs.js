'use strict';
// Knobs of the sample dataset for benchmarks: a registry download of any size,
// and a project of generated chart data.

const { experimentKeyOf } = require('./random');
const { BASE_TIME } = require('./clock');
const { lazySeries } = require('./metrics');
const { makeProject } = require('./projects');

/** Makes registry-model/item/download stream a valid stored zip of exactly `bytes` bytes (null: back to the small zips). */
function setDownloadSize(data, bytes) {
  if (bytes === null || bytes === undefined || bytes === 0) {
    data.downloadSize = null;
    return;
  }
  if (!Number.isInteger(bytes) || bytes < 4096 || bytes > 0xf0000000) throw new RangeError('download size must be an integer between 4096 and 0xF0000000 bytes (no zip64)');
  data.downloadSize = bytes;
}

/** The `i`-th experiment of the chart-bench `project`: list fields, parameters and `names` generated series. */
function benchExperiment(project, i, names, points) {
  const key = experimentKeyOf('ml-team', 'chart-bench', i);
  const start = BASE_TIME + i * 60000;
  return {
    experimentKey: key, experimentName: `bench-${String(i).padStart(3, '0')}`,
    projectId: project.projectId, projectName: project.projectName, workspaceName: 'ml-team',
    optimizationId: null, startTimeMillis: start, endTimeMillis: start + points * 100 + 100, durationMillis: points * 100 + 100,
    archived: false, filePath: '/bench/train.py', fileName: 'train.py', tags: ['bench'],
    params: { index: String(i), learning_rate: String(0.001 * (1 + (i % 7))) }, others: {},
    git: null, patch: null, code: null, output: null, graph: null, html: null, cloudDetails: null,
    systemDetails: { experimentKey: key }, assets: [], models: [], metrics: {},
    lazySeries: lazySeries(names, points, start, i),
  };
}

/**
 * Adds (or replaces) a project `chart-bench` in ml-team with `experiments` experiments,
 * each logging `metrics` metrics (`metric_00`...) over `points` steps, generated on demand.
 * Returns { projectId, experimentKeys, metricNames }.
 */
function setChartSize(data, { experiments = 50, metrics = 10, points = 15000 } = {}) {
  for (const [key, exp] of Object.entries(data.experiments)) if (exp.lazySeries) delete data.experiments[key];
  data.projects = data.projects.filter((p) => p.projectName !== 'chart-bench');
  const project = makeProject({ workspace: 'ml-team', name: 'chart-bench', owner: 'ada', public: false, description: 'Generated for benchmarks', notes: '', shareCodes: [] }, data.projects.length);
  data.projects.push(project);
  const names = Array.from({ length: metrics }, (_, i) => `metric_${String(i).padStart(2, '0')}`);
  const keys = [];
  for (let i = 0; i < experiments; i++) {
    const exp = benchExperiment(project, i, names, points);
    data.experiments[exp.experimentKey] = exp;
    keys.push(exp.experimentKey);
  }
  data.chart = { experiments, metrics, points };
  return { projectId: project.projectId, experimentKeys: keys, metricNames: names };
}

module.exports = { setDownloadSize, setChartSize };
