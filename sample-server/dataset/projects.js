'use strict';
// The sample projects and the experiments each holds (as specs that
// experiments.js turns into records), and the project record itself.

const { hexId } = require('./random');
const { BASE_TIME, DAY } = require('./clock');

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

module.exports = { PROJECTS, OPTIMIZATION_ID, makeProject };
