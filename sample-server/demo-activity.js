'use strict';
// Something happening in the sample Comet of `npm start`, without anyone
// touching it: a training run of the churn project is running from the start,
// and a minute later it finishes and churn-model 1.1.0 is promoted to
// production, so the demo's watch flows (experiments and registry) fire on
// their own. Training runs of the sandbox project log a step every `stepMs`
// (dataset/training.js), and within two minutes one diverges, one hits NaN,
// one plateaus and one stalls, for the metric watch and the live chart.

const RUN = { workspace: 'ml-team', project: 'churn', name: 'xgb-depth12', params: { model_type: 'xgboost', learning_rate: 0.05, batch_size: 256, epochs: 15, max_depth: 12 } };
const PROMOTED = { workspace: 'ml-team', modelName: 'churn-model', version: '1.1.0', stages: ['staging', 'production'] };
/** The training runs (name: curve) of ml-team/sandbox. */
const TRAINING = { workspace: 'ml-team', project: 'sandbox', runs: { 'resnet-lr-0.1': 'diverges', 'resnet-fp16': 'nan', 'resnet-small': 'plateau', 'resnet-dataloader': 'stalls', 'resnet-baseline': 'healthy' } };

/**
 * Starts the run on `server` (a sample server) now and schedules its end and
 * the promotion `afterMs` later, and the training runs, a step of `stepMs`
 * on their clock every `tickMs` (the same, unless a test hurries them); `log`
 * is told of each. Returns a function that cancels what has
 * not happened yet.
 */
function startDemoActivity(server, { afterMs = 60000, stepMs = 2000, tickMs = stepMs, log = () => {} } = {}) {
  const key = server.data.runs.start(RUN.workspace, RUN.project, RUN.name, { q: 0.9, params: RUN.params, tags: ['xgboost', 'sweep'] });
  log(`run ${RUN.name} of ${RUN.workspace}/${RUN.project} started; in ${Math.round(afterMs / 1000)} s it finishes and ${PROMOTED.modelName} ${PROMOTED.version} goes to production`);
  const timer = setTimeout(() => {
    server.data.runs.finish(key);
    server.registry.setStages(PROMOTED.workspace, PROMOTED.modelName, PROMOTED.version, PROMOTED.stages);
    log(`run ${RUN.name} finished; ${PROMOTED.modelName} ${PROMOTED.version} promoted to production`);
  }, afterMs);
  for (const [name, curve] of Object.entries(TRAINING.runs)) server.data.training.start(TRAINING.workspace, TRAINING.project, name, { curve });
  log(`training runs of ${TRAINING.workspace}/${TRAINING.project} log a step every ${stepMs / 1000} s: ${Object.entries(TRAINING.runs).map(([name, curve]) => `${name} (${curve})`).join(', ')}`);
  const steps = setInterval(() => server.data.training.step(1, { stepMs }), tickMs);
  return () => {
    clearTimeout(timer);
    clearInterval(steps);
  };
}

module.exports = { startDemoActivity, TRAINING };
