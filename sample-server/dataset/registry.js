'use strict';
// The model registry of the sample dataset: its model and version records, and
// the two models ml-team has registered.

const { hexId, experimentKeyOf } = require('./random');
const { afterBase } = require('./clock');
const { modelFiles } = require('./files');
const { semverParts } = require('./semver');

/**
 * The record makers of `data`'s registry; `stamp()` dates what is made without
 * a date of its own.
 */
function createRegistryRecords(data, stamp) {
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

  return { versionRecord, modelRecord };
}

/** Registers churn-model and fraud-detector in ml-team, from the sample churn and fraud experiments. */
function addSampleModels(data, { modelRecord }) {
  data.registryModels['ml-team'].push(modelRecord('ml-team', 'churn-model', {
    description: 'Churn classifier served by the retention API',
    createdAt: afterBase(4), userName: 'ada',
    notes: '## churn-model\n\n- 1.2.0: xgboost depth 8, AUC 0.91\n- 1.1.0: xgboost depth 4\n- 1.0.0: logistic regression baseline\n',
    versions: [
      { version: '1.0.0', stages: ['archived'], comment: 'baseline', experimentKey: experimentKeyOf('ml-team', 'churn', 'logreg-baseline'), createdAt: afterBase(4) },
      { version: '1.1.0', stages: ['staging'], status: 'Development', comment: 'xgboost depth 4', experimentKey: experimentKeyOf('ml-team', 'churn', 'xgb-depth4'), createdAt: afterBase(5) },
      { version: '1.2.0', stages: ['production'], status: 'Production', comment: 'xgboost depth 8', experimentKey: experimentKeyOf('ml-team', 'churn', 'xgb-depth8'), createdAt: afterBase(6) },
    ],
  }));
  data.registryModels['ml-team'].push(modelRecord('ml-team', 'fraud-detector', {
    description: 'Real-time card fraud scoring', createdAt: afterBase(7), userName: 'ada', isPublic: false,
    notes: 'Threshold 0.83 chosen for 1% FPR.',
    versions: [
      { version: '0.9.0', stages: [], comment: 'first xgboost', experimentKey: experimentKeyOf('ml-team', 'fraud', 'fraud-xgb'), createdAt: afterBase(7) },
      { version: '1.0.0', stages: ['production'], status: 'Production', comment: 'tuned', experimentKey: experimentKeyOf('ml-team', 'fraud', 'fraud-xgb-tuned'), createdAt: afterBase(8) },
    ],
  }));
}

module.exports = { createRegistryRecords, addSampleModels };
