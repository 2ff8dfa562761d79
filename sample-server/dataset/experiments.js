'use strict';
// An experiment record of the sample dataset, from its spec in projects.js:
// its run (times, metrics, parameters, code, git, system), its logged models
// and its assets.

const crypto = require('crypto');
const { hexId, experimentKeyOf } = require('./random');
const { BASE_TIME, DAY } = require('./clock');
const { METRIC_NAMES, STEPS, STEPS_PER_EPOCH, makeSeries } = require('./metrics');
const { OPTIMIZATION_ID } = require('./projects');
const { experimentAssets } = require('./assets');

function systemDetails(exp, spec, owner, index) {
  const host = spec.gpu ? `gpu-node-${(index % 3) + 1}` : `cpu-worker-${(index % 4) + 1}`;
  return {
    experimentKey: exp.experimentKey,
    user: owner,
    pythonVersion: '3.11.8',
    pythonVersionVerbose: '3.11.8 (main, Feb 26 2024, 21:39:34) [GCC 11.2.0]',
    pid: 4100 + index * 37,
    osType: 'Linux',
    os: 'Linux-6.5.0-1017-aws-x86_64-with-glibc2.35',
    ip: `10.0.${index % 4}.${20 + index}`,
    hostname: host,
    gpuStaticInfoList: spec.gpu
      ? [{ gpuIndex: 0, name: 'NVIDIA A10G', uuid: `GPU-${hexId(`gpu:${host}`).slice(0, 8)}-5f1b-4c3e-9a77-${hexId(`gpu2:${host}`).slice(0, 12)}`, totalMemory: 24146608128, powerLimit: 300000 }]
      : [],
    logAdditionalSystemInfoList: [{ key: 'cuda', value: spec.gpu ? '12.2' : 'none' }, { key: 'cpu_count', value: spec.gpu ? '8' : '4' }],
    systemMetricNames: ['sys.cpu.percent.avg', 'sys.ram.used', 'sys.ram.total'].concat(spec.gpu ? ['sys.gpu.0.gpu_utilization'] : []),
    maxTotalMemory: spec.gpu ? 33285996544 : 16624467968,
    networkInterfaceIps: [`10.0.${index % 4}.${20 + index}`, '172.17.0.1'],
    command: ['train.py', '--config', `configs/${exp.experimentName}.yaml`],
    executable: '/opt/conda/bin/python',
    osPackages: ['libc6=2.35-0ubuntu3.6', 'libgomp1=12.3.0-1ubuntu1~22.04', 'openssl=3.0.2-0ubuntu1.15'],
    installedPackages: ['comet_ml==3.39.0', 'numpy==1.26.4', 'pandas==2.2.1', 'scikit-learn==1.4.1', 'xgboost==2.0.3'],
  };
}

/** The list fields and the metrics of a run, its end where its last metric was logged. */
function runRecord(project, spec, index) {
  const key = experimentKeyOf(project.workspaceName, project.projectName, spec.name);
  const start = spec.startTimeMillis === undefined ? BASE_TIME + index * DAY / 2 + 3600 * 1000 : spec.startTimeMillis;
  const exp = {
    experimentKey: key,
    experimentName: spec.name,
    projectId: project.projectId,
    projectName: project.projectName,
    workspaceName: project.workspaceName,
    optimizationId: spec.optimizer ? OPTIMIZATION_ID : null,
    startTimeMillis: start,
    endTimeMillis: null,
    durationMillis: null,
    archived: !!spec.archived,
    running: false,
    hasCrashed: false,
    filePath: '/home/' + project.ownerUserName + '/src/' + project.projectName + '/train.py',
    fileName: 'train.py',
    tags: spec.tags.slice(),
  };
  const series = makeSeries(exp, spec.q);
  exp.metrics = series;
  const lastTs = Math.max(...METRIC_NAMES.map((n) => series[n].timestamps[STEPS - 1]));
  exp.endTimeMillis = lastTs + 1500;
  exp.durationMillis = exp.endTimeMillis - start;
  return exp;
}

function gitPatch(spec) {
  if (!spec.patch) return null;
  return [
    'diff --git a/train.py b/train.py',
    'index 3b18e51..a9c2b44 100644',
    '--- a/train.py',
    '+++ b/train.py',
    '@@ -12,7 +12,7 @@ def main(cfg):',
    '     model = build_model(cfg)',
    `-    lr = ${spec.params.learning_rate * 2}`,
    `+    lr = ${spec.params.learning_rate}`,
    '     for epoch in range(cfg.epochs):',
    '         train_one_epoch(model, lr)',
    '',
  ].join('\n');
}

/** What a run logged besides metrics: parameters, other values, git, code, output, graph, html, machine. */
function runDetails(exp, project, spec, index) {
  const key = exp.experimentKey;
  const series = exp.metrics;
  return {
    params: Object.fromEntries(Object.entries(spec.params).map(([k, v]) => [k, String(v)])),
    others: {
      Name: spec.name,
      dataset: `${project.projectName}-2024-03`,
      trained_on: spec.gpu ? 'gpu' : 'cpu',
      rows_train: String(40000 + index * 1000),
    },
    git: {
      user: project.ownerUserName,
      root: `/home/${project.ownerUserName}/src/${project.projectName}`,
      branch: spec.patch ? 'refs/heads/experiment' : 'refs/heads/main',
      parent: crypto.createHash('sha1').update(`commit:${key}`).digest('hex'),
      origin: `git@github.com:example/${project.projectName}.git`,
    },
    patch: gitPatch(spec),
    code: `import comet_ml\nfrom trainer import main\n\n# ${spec.name}\nexperiment = comet_ml.Experiment(project_name="${project.projectName}")\nmain(experiment, config="configs/${spec.name}.yaml")\n`,
    output: Array.from({ length: 15 }, (_, i) => {
      const s = (i + 1) * STEPS_PER_EPOCH - 1;
      return `epoch ${i + 1}/15 loss=${series.loss.values[s]} accuracy=${series.accuracy.values[s]} val_loss=${series.val_loss.values[s]}`;
    }).join('\n') + '\n',
    graph: spec.noGraph ? null : `Sequential(\n  (0): ${spec.params.model_type}(in_features=42)\n  (1): Linear(in_features=64, out_features=2)\n)`,
    html: spec.noHtml ? null : `<h2>${spec.name}</h2><p>Final accuracy: ${series.accuracy.values[STEPS - 1]}</p>`,
    cloudDetails: spec.cloud
      ? { provider: 'AWS', metadata: { region: 'eu-west-1', instanceType: 'm5.xlarge', instanceId: `i-${hexId(`ec2:${key}`).slice(0, 17)}`, availabilityZone: 'eu-west-1b' } }
      : null,
    systemDetails: systemDetails(exp, spec, project.ownerUserName, index),
  };
}

/** The `index`-th experiment of the dataset, of `project`, from its spec (see PROJECTS). */
function makeExperiment(project, spec, index) {
  const exp = runRecord(project, spec, index);
  Object.assign(exp, runDetails(exp, project, spec, index));
  exp.models = spec.model ? [{ experimentModelId: hexId(`experiment-model:${exp.experimentKey}:${spec.model}`), modelName: spec.model }] : [];
  exp.assets = experimentAssets(exp, spec);
  return exp;
}

module.exports = { makeExperiment };
