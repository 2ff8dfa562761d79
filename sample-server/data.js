'use strict';
// The sample dataset: two workspaces of projects, experiments, metrics, assets,
// experiment models, a model registry, artifacts, panels, dashboards and webhook
// configs, all consistent with each other. createDataset() builds a fresh,
// mutable copy every time, deterministically: the same ids and values on every run.

const crypto = require('crypto');
const zlib = require('zlib');
const { createRuns } = require('./runs');

const BASE_TIME = Date.UTC(2024, 2, 4, 9, 0, 0); // 2024-03-04T09:00:00Z
const DAY = 24 * 3600 * 1000;
const STEPS = 150;
const STEPS_PER_EPOCH = 10;
const METRIC_NAMES = ['loss', 'accuracy', 'val_loss'];

/** A stable 32-hex id, the shape of Comet's experiment keys and project ids. */
function hexId(text) {
  return crypto.createHash('md5').update(text).digest('hex');
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rngFor(text) {
  return mulberry32(parseInt(hexId(text).slice(0, 8), 16));
}

function pseudoBytes(seedText, length) {
  // xorshift32, a word at a time: servers are built per test, this must stay cheap
  const words = new Uint32Array(Math.ceil(length / 4));
  let x = parseInt(hexId(seedText).slice(0, 8), 16) || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return Buffer.from(words.buffer, 0, length);
}

const round6 = (v) => Math.round(v * 1e6) / 1e6;

// ---------------------------------------------------------------------------
// Small file contents

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A small valid RGB PNG with a deterministic pattern. */
function makePng(seedText, size = 16) {
  const rnd = rngFor(seedText);
  const base = [rnd() * 255, rnd() * 255, rnd() * 255];
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = (base[0] + x * 9) & 255;
      raw[o + 1] = (base[1] + y * 9) & 255;
      raw[o + 2] = (base[2] + (x ^ y) * 5) & 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function modelFiles(modelName, experimentKey, flavor) {
  const pkl = Buffer.concat([Buffer.from([0x80, 0x04, 0x95]), pseudoBytes(`pkl:${experimentKey}:${modelName}`, 4093)]);
  const mlmodel = [
    'artifact_path: model',
    'flavors:',
    `  ${flavor}:`,
    '    pickled_model: model.pkl',
    '    serialization_format: cloudpickle',
    `model_name: ${modelName}`,
    `run_id: ${experimentKey}`,
    'utc_time_created: \'2024-03-04 09:00:00.000000\'',
    '',
  ].join('\n');
  const requirements = flavor === 'sklearn'
    ? 'scikit-learn==1.4.1\nnumpy==1.26.4\npandas==2.2.1\n'
    : `${flavor}==2.0.3\nnumpy==1.26.4\npandas==2.2.1\n`;
  return [
    { path: 'model/model.pkl', content: pkl },
    { path: 'model/MLmodel', content: Buffer.from(mlmodel) },
    { path: 'requirements.txt', content: Buffer.from(requirements) },
  ];
}

// ---------------------------------------------------------------------------
// Projects and experiments

const PROJECTS = [
  {
    workspace: 'ml-team', name: 'churn', owner: 'ada', public: false,
    description: 'Customer churn prediction on the telco dataset',
    notes: '# Churn\n\nBaseline: logistic regression. Current best: xgb-depth8 (registered as churn-model 1.2.0).\n',
    shareCodes: ['37645346359823'],
    experiments: [
      { name: 'logreg-baseline', q: 0.78, params: { model_type: 'logreg', learning_rate: 0.1, batch_size: 64, epochs: 15, C: 1.0 }, tags: ['baseline', 'logreg'], patch: true, model: 'churn-classifier', flavor: 'sklearn', remoteAsset: true, cloud: true },
      { name: 'xgb-depth4', q: 0.83, params: { model_type: 'xgboost', learning_rate: 0.05, batch_size: 256, epochs: 15, max_depth: 4 }, tags: ['xgboost', 'sweep'], optimizer: true, model: 'churn-classifier', flavor: 'xgboost' },
      { name: 'xgb-depth6', q: 0.86, params: { model_type: 'xgboost', learning_rate: 0.05, batch_size: 256, epochs: 15, max_depth: 6 }, tags: ['xgboost', 'sweep'], optimizer: true, patch: true },
      { name: 'xgb-depth8', q: 0.89, params: { model_type: 'xgboost', learning_rate: 0.05, batch_size: 256, epochs: 15, max_depth: 8 }, tags: ['xgboost', 'sweep', 'best'], optimizer: true, model: 'churn-classifier', flavor: 'xgboost' },
      { name: 'xgb-depth10', q: 0.87, params: { model_type: 'xgboost', learning_rate: 0.05, batch_size: 256, epochs: 15, max_depth: 10 }, tags: ['xgboost', 'sweep', 'overfit'], optimizer: true },
      { name: 'mlp-2x64', q: 0.84, params: { model_type: 'mlp', learning_rate: 0.001, batch_size: 32, epochs: 15, hidden: '64,64' }, tags: ['mlp'], patch: true, noHtml: true },
      { name: 'mlp-old', q: 0.71, params: { model_type: 'mlp', learning_rate: 0.01, batch_size: 32, epochs: 15, hidden: '32' }, tags: ['mlp', 'deprecated'], archived: true },
      { name: 'logreg-broken', q: 0.55, params: { model_type: 'logreg', learning_rate: 1.5, batch_size: 64, epochs: 15, C: 0.01 }, tags: ['logreg', 'diverged'], archived: true, noGraph: true },
    ],
  },
  {
    workspace: 'ml-team', name: 'fraud', owner: 'ada', public: false,
    description: 'Card fraud detection',
    notes: 'Fraud detector experiments. Production: fraud-detector 1.0.0.',
    shareCodes: [],
    experiments: [
      { name: 'fraud-iforest', q: 0.74, params: { model_type: 'isolation_forest', learning_rate: 0.0, batch_size: 1024, epochs: 15, n_estimators: 200 }, tags: ['unsupervised'] },
      { name: 'fraud-xgb', q: 0.91, params: { model_type: 'xgboost', learning_rate: 0.1, batch_size: 1024, epochs: 15, max_depth: 6 }, tags: ['xgboost'], model: 'fraud-xgb', flavor: 'xgboost' },
      { name: 'fraud-xgb-tuned', q: 0.94, params: { model_type: 'xgboost', learning_rate: 0.03, batch_size: 1024, epochs: 15, max_depth: 7 }, tags: ['xgboost', 'tuned'], model: 'fraud-xgb', flavor: 'xgboost', patch: true },
    ],
  },
  {
    workspace: 'ml-team', name: 'sandbox', owner: 'bob', public: true,
    description: 'Scratch space, no experiments yet', notes: '', shareCodes: [], experiments: [],
  },
  {
    workspace: 'research', name: 'vision', owner: 'grace', public: true,
    description: 'Image classification backbones on CIFAR-10',
    notes: 'ViT needs longer warm-up.', shareCodes: ['90210012345678'],
    experiments: [
      { name: 'resnet18', q: 0.92, params: { model_type: 'resnet18', learning_rate: 0.1, batch_size: 128, epochs: 15 }, tags: ['cnn'], model: 'resnet18', flavor: 'pytorch', gpu: true },
      { name: 'resnet50', q: 0.95, params: { model_type: 'resnet50', learning_rate: 0.1, batch_size: 128, epochs: 15 }, tags: ['cnn'], gpu: true, patch: true },
      { name: 'vit-small', q: 0.9, params: { model_type: 'vit_s16', learning_rate: 0.0005, batch_size: 256, epochs: 15 }, tags: ['transformer'], gpu: true },
    ],
  },
  {
    workspace: 'research', name: 'nlp-baselines', owner: 'grace', public: false,
    description: 'Sentiment baselines on SST-2', notes: '', shareCodes: [],
    experiments: [
      { name: 'bert-base', q: 0.93, params: { model_type: 'bert-base-uncased', learning_rate: 0.00002, batch_size: 32, epochs: 15 }, tags: ['transformer'], gpu: true },
      { name: 'distilbert', q: 0.91, params: { model_type: 'distilbert-base-uncased', learning_rate: 0.00005, batch_size: 32, epochs: 15 }, tags: ['transformer', 'small'], gpu: true },
    ],
  },
];

const OPTIMIZATION_ID = hexId('optimizer:ml-team/churn/xgb-sweep');

function makeSeries(exp, q) {
  const rnd = rngFor(`metrics:${exp.experimentKey}`);
  const noise = (scale) => (rnd() - 0.5) * 2 * scale;
  const lossEnd = 0.08 + (1 - q) * 1.1;
  const lossStart = 0.69 + rnd() * 0.1;
  const tau = 18 + rnd() * 20;
  const overfit = exp.tags.includes('overfit') ? 0.25 : 0.04;
  const series = {};
  for (const name of METRIC_NAMES) series[name] = { steps: [], values: [], timestamps: [], epochs: [], offsets: [] };
  for (let step = 1; step <= STEPS; step++) {
    const decay = Math.exp(-step / tau);
    const loss = Math.max(0.001, lossEnd + (lossStart - lossEnd) * decay + noise(0.015));
    const acc = Math.min(0.999, Math.max(0, 0.5 + (q - 0.5) * (1 - decay) + noise(0.008)));
    const valLoss = Math.max(0.001, loss * 1.04 + overfit * (step / STEPS) ** 2 + noise(0.02));
    const ts = exp.startTimeMillis + step * 2000 + Math.floor(rnd() * 400);
    const values = { loss, accuracy: acc, val_loss: valLoss };
    METRIC_NAMES.forEach((name, i) => {
      const s = series[name];
      s.steps.push(step);
      s.values.push(round6(values[name]));
      s.timestamps.push(ts + i * 3);
      s.epochs.push(Math.ceil(step / STEPS_PER_EPOCH));
      s.offsets.push(step * METRIC_NAMES.length + i);
    });
  }
  return series;
}

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

function assetRecord(exp, fields) {
  const assetId = fields.assetId || hexId(`asset:${exp.experimentKey}:${fields.fileName}`);
  return {
    assetId,
    fileName: fields.fileName,
    fileSize: fields.content.length,
    runContext: null,
    step: fields.step === undefined ? null : fields.step,
    createdAt: fields.createdAt,
    dir: fields.dir,
    canView: !!fields.image,
    audio: false,
    histogram: false,
    image: !!fields.image,
    type: fields.type,
    metadata: fields.metadata || null,
    remote: false,
    tags: fields.tags || [],
    content: fields.content,
    redirect: !!fields.redirect, // served through a 302 to the storage server
    modelName: fields.modelName || null,
  };
}

function makeExperiment(project, spec, index) {
  const key = hexId(`experiment:${project.workspaceName}/${project.projectName}/${spec.name}`);
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
  exp.params = Object.fromEntries(Object.entries(spec.params).map(([k, v]) => [k, String(v)]));
  exp.others = {
    Name: spec.name,
    dataset: `${project.projectName}-2024-03`,
    trained_on: spec.gpu ? 'gpu' : 'cpu',
    rows_train: String(40000 + index * 1000),
  };
  exp.git = {
    user: project.ownerUserName,
    root: `/home/${project.ownerUserName}/src/${project.projectName}`,
    branch: spec.patch ? 'refs/heads/experiment' : 'refs/heads/main',
    parent: crypto.createHash('sha1').update(`commit:${key}`).digest('hex'),
    origin: `git@github.com:example/${project.projectName}.git`,
  };
  exp.patch = spec.patch
    ? [
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
    ].join('\n')
    : null;
  exp.code = `import comet_ml\nfrom trainer import main\n\n# ${spec.name}\nexperiment = comet_ml.Experiment(project_name="${project.projectName}")\nmain(experiment, config="configs/${spec.name}.yaml")\n`;
  exp.output = Array.from({ length: 15 }, (_, i) => {
    const s = (i + 1) * STEPS_PER_EPOCH - 1;
    return `epoch ${i + 1}/15 loss=${series.loss.values[s]} accuracy=${series.accuracy.values[s]} val_loss=${series.val_loss.values[s]}`;
  }).join('\n') + '\n';
  exp.graph = spec.noGraph ? null : `Sequential(\n  (0): ${spec.params.model_type}(in_features=42)\n  (1): Linear(in_features=64, out_features=2)\n)`;
  exp.html = spec.noHtml ? null : `<h2>${spec.name}</h2><p>Final accuracy: ${series.accuracy.values[STEPS - 1]}</p>`;
  exp.cloudDetails = spec.cloud
    ? { provider: 'AWS', metadata: { region: 'eu-west-1', instanceType: 'm5.xlarge', instanceId: `i-${hexId(`ec2:${key}`).slice(0, 17)}`, availabilityZone: 'eu-west-1b' } }
    : null;
  exp.systemDetails = systemDetails(exp, spec, project.ownerUserName, index);

  // Assets
  const at = (step) => start + step * 2000 + 50;
  const lastAcc = series.accuracy.values[STEPS - 1];
  const tp = Math.round(lastAcc * 900);
  const assets = [
    assetRecord(exp, { fileName: 'roc-curve.png', dir: 'images', type: 'image', image: true, step: STEPS, createdAt: at(STEPS), content: makePng(`roc:${key}`) }),
    assetRecord(exp, { fileName: 'feature-importance.png', dir: 'images', type: 'image', image: true, step: STEPS, createdAt: at(STEPS) + 10, content: makePng(`fi:${key}`) }),
    assetRecord(exp, {
      fileName: 'confusion-matrix.json', dir: 'confusion-matrices', type: 'confusion-matrix', step: STEPS, createdAt: at(STEPS) + 20,
      content: Buffer.from(JSON.stringify({
        version: 1, title: 'Confusion Matrix', labels: ['stay', 'churn'],
        matrix: [[tp, 900 - tp], [Math.round((1 - lastAcc) * 100), 100 - Math.round((1 - lastAcc) * 100)]],
        rowLabel: 'Actual Category', columnLabel: 'Predicted Category', maxSamplesPerCell: 25, sampleMatrix: null, type: 'integer',
      })),
    }),
    assetRecord(exp, { fileName: 'config.yaml', dir: 'assets', type: 'asset', createdAt: start + 100, content: Buffer.from(Object.entries(spec.params).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n') }),
  ];
  if (spec.remoteAsset) {
    const content = Buffer.concat([Buffer.from('PAR1'), pseudoBytes(`parquet:${key}`, 32 * 1024 - 8), Buffer.from('PAR1')]);
    assets.push(assetRecord(exp, { assetId: 'remote-asset-1', fileName: 'training-data.parquet', dir: 'assets', type: 'asset', createdAt: start + 200, content, redirect: true, metadata: '{"rows": 40000}' }));
  }
  exp.models = [];
  if (spec.model) {
    const files = modelFiles(spec.model, key, spec.flavor);
    exp.models.push({ experimentModelId: hexId(`experiment-model:${key}:${spec.model}`), modelName: spec.model });
    for (const f of files) {
      assets.push(assetRecord(exp, {
        fileName: f.path, dir: 'model-element', type: 'model-element', createdAt: exp.endTimeMillis - 500, content: f.content,
        modelName: spec.model, metadata: JSON.stringify({ framework: spec.flavor }),
      }));
    }
  }
  exp.assets = assets;
  return exp;
}

function makeProject(def, index) {
  return {
    projectId: hexId(`project:${def.workspace}/${def.name}`),
    projectName: def.name,
    workspaceName: def.workspace,
    ownerUserName: def.owner,
    projectDescription: def.description,
    public: def.public,
    createdAt: BASE_TIME - 30 * DAY + index * DAY,
    lastUpdated: BASE_TIME + 10 * DAY + index * 3600 * 1000,
    notes: def.notes,
    shareCodes: def.shareCodes.slice(),
  };
}

// ---------------------------------------------------------------------------
// Registry

function semverParts(v) {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(String(v));
  if (!m) return null;
  return { major: +m[1], minor: +m[2], patch: +m[3], pre: m[4] ? m[4].split('.') : [] };
}

function compareSemver(a, b) {
  const x = semverParts(a);
  const y = semverParts(b);
  for (const k of ['major', 'minor', 'patch']) if (x[k] !== y[k]) return x[k] - y[k];
  if (!x.pre.length || !y.pre.length) return y.pre.length - x.pre.length; // a release ranks above its pre-releases
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    if (x.pre[i] === undefined) return -1;
    if (y.pre[i] === undefined) return 1;
    const nx = /^\d+$/.test(x.pre[i]);
    const ny = /^\d+$/.test(y.pre[i]);
    if (nx && ny && +x.pre[i] !== +y.pre[i]) return +x.pre[i] - +y.pre[i];
    if (nx !== ny) return nx ? -1 : 1;
    if (x.pre[i] !== y.pre[i]) return x.pre[i] < y.pre[i] ? -1 : 1;
  }
  return 0;
}

function createDataset(options = {}) {
  const data = {
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

  let expIndex = 0;
  PROJECTS.forEach((def, i) => {
    const project = makeProject(def, i);
    data.projects.push(project);
    for (const spec of def.experiments) {
      const exp = makeExperiment(project, spec, expIndex++);
      data.experiments[exp.experimentKey] = exp;
    }
  });

  // A monotonic clock for lastUpdated bumps, so two changes in the same ms still differ.
  let lastStamp = 0;
  const stamp = () => {
    lastStamp = Math.max(Date.now(), lastStamp + 1);
    return lastStamp;
  };

  const keyOf = (ws, project, name) => hexId(`experiment:${ws}/${project}/${name}`);

  function versionRecord(ws, model, { version, stages = [], status, comment, experimentKey, experimentModelName, createdAt, userName }) {
    if (!semverParts(version)) throw new Error(`invalid version string: ${version}`);
    const exp = experimentKey ? data.experiments[experimentKey] : null;
    if (experimentKey && !exp) throw new Error(`unknown experiment ${experimentKey}`);
    const expModel = exp ? exp.models.find((m) => m.modelName === experimentModelName) || exp.models[0] : null;
    const v = {
      registryModelItemId: hexId(`registry-item:${ws}/${model.modelName}/${version}`),
      version,
      comment: comment !== undefined ? comment : '',
      stages: stages.slice(),
      userName: userName || model.userName,
      createdAt: createdAt || stamp(),
      lastUpdated: 0,
      experimentKey: exp ? exp.experimentKey : hexId(`experiment:generated/${ws}/${model.modelName}/${version}`),
      experimentModelId: expModel ? expModel.experimentModelId : hexId(`experiment-model:generated/${ws}/${model.modelName}/${version}`),
      experimentModelName: expModel ? expModel.modelName : model.modelName,
      // A version not backed by a sample experiment carries its own files.
      files: expModel ? null : modelFiles(model.modelName, `${model.modelName}@${version}`, 'sklearn'),
    };
    v.lastUpdated = v.createdAt;
    if (status !== undefined) v.status = status;
    return v;
  }

  function modelRecord(ws, modelName, opts = {}) {
    const createdAt = opts.createdAt || stamp();
    const model = {
      registryModelId: hexId(`registry-model:${ws}/${modelName}`),
      modelName,
      description: opts.description !== undefined ? opts.description : '',
      isPublic: !!opts.isPublic,
      createdAt,
      lastUpdated: createdAt,
      userName: opts.userName || 'ada',
      notes: opts.notes !== undefined ? opts.notes : '',
      versions: [],
    };
    for (const v of opts.versions || []) model.versions.push(versionRecord(ws, model, v));
    if (model.versions.length) model.lastUpdated = Math.max(createdAt, ...model.versions.map((v) => v.lastUpdated));
    return model;
  }

  const T = (days, hours = 0) => BASE_TIME + days * DAY + hours * 3600 * 1000;
  data.registryModels['ml-team'].push(modelRecord('ml-team', 'churn-model', {
    description: 'Churn classifier served by the retention API',
    createdAt: T(4), userName: 'ada',
    notes: '## churn-model\n\n- 1.2.0: xgboost depth 8, AUC 0.91\n- 1.1.0: xgboost depth 4\n- 1.0.0: logistic regression baseline\n',
    versions: [
      { version: '1.0.0', stages: ['archived'], comment: 'baseline', experimentKey: keyOf('ml-team', 'churn', 'logreg-baseline'), createdAt: T(4) },
      { version: '1.1.0', stages: ['staging'], status: 'Development', comment: 'xgboost depth 4', experimentKey: keyOf('ml-team', 'churn', 'xgb-depth4'), createdAt: T(5) },
      { version: '1.2.0', stages: ['production'], status: 'Production', comment: 'xgboost depth 8', experimentKey: keyOf('ml-team', 'churn', 'xgb-depth8'), createdAt: T(6) },
    ],
  }));
  data.registryModels['ml-team'].push(modelRecord('ml-team', 'fraud-detector', {
    description: 'Real-time card fraud scoring', createdAt: T(7), userName: 'ada', isPublic: false,
    notes: 'Threshold 0.83 chosen for 1% FPR.',
    versions: [
      { version: '0.9.0', stages: [], comment: 'first xgboost', experimentKey: keyOf('ml-team', 'fraud', 'fraud-xgb'), createdAt: T(7) },
      { version: '1.0.0', stages: ['production'], status: 'Production', comment: 'tuned', experimentKey: keyOf('ml-team', 'fraud', 'fraud-xgb-tuned'), createdAt: T(8) },
    ],
  }));

  // Artifacts
  const churnProject = data.projects.find((p) => p.projectName === 'churn');
  data.artifacts.push({
    artifactId: hexId('artifact:ml-team/churn-dataset'),
    artifactName: 'churn-dataset',
    workspaceName: 'ml-team',
    projectId: churnProject.projectId,
    versions: [
      { versionId: hexId('artifact-version:churn-dataset/1.0.0'), version: '1.0.0', aliases: [], files: [
        { path: 'train.csv', content: Buffer.from('customer_id,tenure,monthly_charges,churn\n1,12,70.35,0\n2,2,99.65,1\n') },
        { path: 'README.md', content: Buffer.from('# churn-dataset 1.0.0\n') },
      ] },
      { versionId: hexId('artifact-version:churn-dataset/2.0.0'), version: '2.0.0', aliases: ['latest', 'production'], files: [
        { path: 'train.csv', content: Buffer.from('customer_id,tenure,monthly_charges,contract,churn\n1,12,70.35,monthly,0\n2,2,99.65,monthly,1\n3,60,20.1,two_year,0\n') },
        { path: 'test.csv', content: Buffer.from('customer_id,tenure,monthly_charges,contract,churn\n4,5,80.0,monthly,1\n') },
        { path: 'README.md', content: Buffer.from('# churn-dataset 2.0.0\n\nAdds the contract column.\n') },
      ] },
    ],
  });

  // Panels, panel instances, viz stores, dashboards
  const panel = (templateId, ws, owner, templateName, type, scopeType, createdAt) => ({
    templateId, workspaceName: ws, owner, teamId: `${ws}-default`, templateName, queryBuilderId: '', scopeType,
    revisionId: createdAt + 86400, createdAt,
    code: {
      code: type === 'js' ? `// ${templateName}\nclass MyPanel extends Comet.Panel {\n  draw(experimentKeys) { this.drawMetrics(experimentKeys); }\n}\n` : '',
      css: '/** CSS **/',
      description: `${templateName} panel`,
      html: '<div id="chart-mount"></div>',
      defaultConfig: '""',
      internalResources: [
        { name: 'Comet SDK', version: 'latest', enabled: true },
        { name: 'Plotly.js', version: '1.50.1', enabled: true },
      ],
      userResources: [],
      pyCode: type === 'py' ? `## ${templateName}\nfrom comet_ml import API, ui\nui.display("${templateName}")\n` : '',
      type,
      pyConfig: '',
    },
  });
  data.panels.push(
    panel('SzUYHmX7hnR7KrLzU1tBrHilq', 'ml-team', 'ada', 'Loss Curves', 'js', 'PUBLIC', T(1)),
    panel('DyfpvKGZJvrtY1jjsYuMmLgz5', 'ml-team', 'ada', 'Confusion Explorer', 'py', 'PRIVATE', T(2)),
    panel('Rk2mWq8ZtY4vBn6Hc1LpXs3Df', 'research', 'grace', 'Attention Maps', 'py', 'PRIVATE', T(3)),
  );
  data.panelInstances.push(
    { instanceId: 'Qm7nT2wXc9ZbV4kL8pRs1JdYe', templateId: 'SzUYHmX7hnR7KrLzU1tBrHilq', projectId: churnProject.projectId, store: { smoothing: 0.6, metric: 'val_loss', xAxis: 'step' } },
    { instanceId: 'Hx3cV9nB2mQ7wE5rT1yU8iOpL', templateId: 'DyfpvKGZJvrtY1jjsYuMmLgz5', projectId: churnProject.projectId, store: { normalize: true, labels: ['stay', 'churn'] } },
  );
  const visionProject = data.projects.find((p) => p.projectName === 'vision');
  const fraudProject = data.projects.find((p) => p.projectName === 'fraud');
  const dashboard = (templateId, templateName, project, createdBy, panelIds) => ({
    templateId, templateName, projectId: project.projectId, projectName: project.projectName, workspaceName: project.workspaceName, createdBy,
    codePanelTemplateIds: panelIds,
  });
  data.dashboards.push(
    dashboard('ipPl7zaLAX9aNa9bwoCaY6HBi', 'Churn overview', churnProject, 'ada', ['SzUYHmX7hnR7KrLzU1tBrHilq', 'DyfpvKGZJvrtY1jjsYuMmLgz5']),
    dashboard('owner-unsaved-' + fraudProject.projectId, 'Fraud triage', fraudProject, 'ada', []),
    dashboard('Vc8bN3mK5jH2gF9dS4aP7lQwZ', 'Backbone comparison', visionProject, 'grace', ['Rk2mWq8ZtY4vBn6Hc1LpXs3Df']),
  );

  data.webhooks['ml-team'] = [
    { modelName: null, webhookUrls: [{ url: 'https://hooks.example.com/comet/registry', header: { Authorization: 'secret_token', 'X-Team': 'ml-team' } }] },
    { modelName: 'churn-model', webhookUrls: [{ url: 'https://nodered.example.com/comet/registry', header: { Authorization: 'churn-hook-secret', Other: 'other_info' } }] },
  ];
  data.webhooks.research = [];

  // ---- lookups used by the routes -----------------------------------------
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

  // ---- knobs for benchmarks -------------------------------------------------
  /** Makes registry-model/item/download stream a valid stored zip of exactly `bytes` bytes (null: back to the small zips). */
  data.setDownloadSize = (bytes) => {
    if (bytes === null || bytes === undefined || bytes === 0) {
      data.downloadSize = null;
      return;
    }
    if (!Number.isInteger(bytes) || bytes < 4096 || bytes > 0xf0000000) throw new RangeError('download size must be an integer between 4096 and 0xF0000000 bytes (no zip64)');
    data.downloadSize = bytes;
  };

  /**
   * Adds (or replaces) a project `chart-bench` in ml-team with `experiments` experiments,
   * each logging `metrics` metrics (`metric_00`...) over `points` steps, generated on demand.
   * Returns { projectId, experimentKeys, metricNames }.
   */
  data.setChartSize = ({ experiments = 50, metrics = 10, points = 15000 } = {}) => {
    for (const [key, exp] of Object.entries(data.experiments)) if (exp.lazySeries) delete data.experiments[key];
    data.projects = data.projects.filter((p) => p.projectName !== 'chart-bench');
    const project = makeProject({ workspace: 'ml-team', name: 'chart-bench', owner: 'ada', public: false, description: 'Generated for benchmarks', notes: '', shareCodes: [] }, data.projects.length);
    data.projects.push(project);
    const names = Array.from({ length: metrics }, (_, i) => `metric_${String(i).padStart(2, '0')}`);
    const keys = [];
    for (let i = 0; i < experiments; i++) {
      const key = hexId(`experiment:ml-team/chart-bench/${i}`);
      const start = BASE_TIME + i * 60000;
      const exp = {
        experimentKey: key, experimentName: `bench-${String(i).padStart(3, '0')}`,
        projectId: project.projectId, projectName: project.projectName, workspaceName: 'ml-team',
        optimizationId: null, startTimeMillis: start, endTimeMillis: start + points * 100 + 100, durationMillis: points * 100 + 100,
        archived: false, filePath: '/bench/train.py', fileName: 'train.py', tags: ['bench'],
        params: { index: String(i), learning_rate: String(0.001 * (1 + (i % 7))) }, others: {},
        git: null, patch: null, code: null, output: null, graph: null, html: null, cloudDetails: null,
        systemDetails: { experimentKey: key }, assets: [], models: [], metrics: {},
        lazySeries: {
          names,
          generate(name) {
            // Typed arrays: 15,000 points x 500 series per request must not churn the GC.
            const m = names.indexOf(name);
            const steps = new Int32Array(points);
            const values = new Float64Array(points);
            const timestamps = new Float64Array(points);
            const epochs = new Int32Array(points);
            const offsets = new Int32Array(points);
            for (let s = 0; s < points; s++) {
              steps[s] = s + 1;
              values[s] = round6(Math.exp(-s / (points / 4)) * (1 + m / 10) + 0.05 * Math.sin(s / 7 + i + m));
              timestamps[s] = start + (s + 1) * 100;
              epochs[s] = Math.ceil((s + 1) / 100);
              offsets[s] = s * names.length + m;
            }
            return { steps, values, timestamps, epochs, offsets };
          },
        },
      };
      data.experiments[key] = exp;
      keys.push(key);
    }
    data.chart = { experiments, metrics, points };
    return { projectId: project.projectId, experimentKeys: keys, metricNames: names };
  };

  // ---- registry mutations, as Comet's UI would make them -------------------
  function requireVersion(ws, modelName, version) {
    const model = data.findRegistryModel(ws, modelName);
    if (!model) throw new Error(`no registry model ${ws}/${modelName}`);
    const v = model.versions.find((x) => x.version === version);
    if (!v) throw new Error(`no version ${version} of ${ws}/${modelName}`);
    return { model, v };
  }
  function touch(model, v) {
    const t = stamp();
    if (v) v.lastUpdated = t;
    model.lastUpdated = t;
  }
  data.registry = {
    setStages(ws, modelName, version, stages) {
      const { model, v } = requireVersion(ws, modelName, version);
      v.stages = stages.slice();
      touch(model, v);
      return v;
    },
    setStatus(ws, modelName, version, status) {
      const { model, v } = requireVersion(ws, modelName, version);
      if (status === undefined || status === null) delete v.status;
      else v.status = status;
      touch(model, v);
      return v;
    },
    addVersion(ws, modelName, version, opts = {}) {
      const model = data.findRegistryModel(ws, modelName);
      if (!model) throw new Error(`no registry model ${ws}/${modelName}`);
      if (model.versions.some((x) => x.version === version)) throw new Error(`version ${version} of ${ws}/${modelName} exists`);
      const v = versionRecord(ws, model, { ...opts, version });
      model.versions.push(v);
      touch(model, v);
      return v;
    },
    deleteVersion(ws, modelName, version) {
      const { model, v } = requireVersion(ws, modelName, version);
      model.versions.splice(model.versions.indexOf(v), 1);
      touch(model, null);
    },
    addModel(ws, modelName, opts = {}) {
      if (!data.registryModels[ws]) throw new Error(`no workspace ${ws}`);
      if (data.findRegistryModel(ws, modelName)) throw new Error(`registry model ${ws}/${modelName} exists`);
      const model = modelRecord(ws, modelName, opts);
      data.registryModels[ws].push(model);
      return model;
    },
    /** Adds `count` models gen-model-0001... with 1 to 3 versions each; returns their names. */
    generateModels(ws, count) {
      const names = [];
      const start = (data.registryModels[ws] || []).filter((m) => m.modelName.startsWith('gen-model-')).length;
      for (let i = start + 1; i <= start + count; i++) {
        const name = `gen-model-${String(i).padStart(4, '0')}`;
        const n = 1 + (i % 3);
        const versions = Array.from({ length: n }, (_, j) => ({
          version: `1.${j}.0`,
          stages: j === n - 1 ? ['production'] : [],
          ...(i % 2 === 0 ? { status: j === n - 1 ? 'Production' : 'None' } : {}),
        }));
        data.registry.addModel(ws, name, { description: `generated model ${i}`, versions });
        names.push(name);
      }
      return names;
    },
  };

  // ---- runs: started, finished, crashed, archived (for the experiment watch) --
  data.omitRunState = false;
  data.runs = createRuns(data, { makeProject, makeExperiment, hexId });

  if (options.downloadSize) data.setDownloadSize(options.downloadSize);
  if (options.chartSize) data.setChartSize(options.chartSize);
  return data;
}

/** Identifiers other tests and demos can rely on. */
const ids = (() => {
  const ws = 'ml-team';
  const key = (w, p, n) => hexId(`experiment:${w}/${p}/${n}`);
  const churn = Object.fromEntries(PROJECTS[0].experiments.map((e) => [e.name, key(ws, 'churn', e.name)]));
  return {
    apiKey: 'sample-key',
    userName: 'ada',
    workspaces: ['ml-team', 'research'],
    defaultWorkspace: ws,
    projects: Object.fromEntries(PROJECTS.map((p) => [p.name, hexId(`project:${p.workspace}/${p.name}`)])),
    experiments: Object.fromEntries(PROJECTS.flatMap((p) => p.experiments.map((e) => [e.name, key(p.workspace, p.name, e.name)]))),
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
