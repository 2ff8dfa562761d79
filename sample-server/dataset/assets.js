'use strict';
// The assets of a sample experiment: images, a confusion matrix, its config,
// a remote asset served through the storage origin, and its models' files.

const { hexId, pseudoBytes } = require('./random');
const { makePng, modelFiles } = require('./files');
const { STEPS } = require('./metrics');

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

/** The assets of `exp`, as its `spec` asks for. */
function experimentAssets(exp, spec) {
  const key = exp.experimentKey;
  const start = exp.startTimeMillis;
  const at = (step) => start + step * 2000 + 50;
  const lastAcc = exp.metrics.accuracy.values[STEPS - 1];
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
  if (spec.model) {
    for (const f of modelFiles(spec.model, key, spec.flavor)) {
      assets.push(assetRecord(exp, {
        fileName: f.path, dir: 'model-element', type: 'model-element', createdAt: exp.endTimeMillis - 500, content: f.content,
        modelName: spec.model, metadata: JSON.stringify({ framework: spec.flavor }),
      }));
    }
  }
  return assets;
}

module.exports = { experimentAssets };
