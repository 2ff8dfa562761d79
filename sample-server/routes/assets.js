'use strict';
// An experiment's assets and models: the asset list and details, the asset
// bytes (one asset redirects to the storage server, as Comet's pre-signed S3
// links do), the experiment models, their assets and their zip.

const crypto = require('crypto');
const { buildZip } = require('../zip');
const { ApiError, json, raw, cometErrorBody, need, experiment } = require('./common');

function assetLink(ctx, experimentKey, assetId) {
  return `${ctx.restRoot}experiment/asset/get-asset?experimentKey=${experimentKey}&assetId=${encodeURIComponent(assetId)}`;
}

function assetView(ctx, exp, a) {
  return {
    fileName: a.fileName,
    fileSize: a.fileSize,
    runContext: a.runContext,
    step: a.step,
    link: assetLink(ctx, exp.experimentKey, a.assetId),
    createdAt: a.createdAt,
    dir: a.dir,
    canView: a.canView,
    audio: a.audio,
    histogram: a.histogram,
    image: a.image,
    type: a.type,
    metadata: a.metadata,
    assetId: a.assetId,
    remote: a.remote,
    tags: a.tags.slice(),
  };
}

/** An asset as model asset lists show it (experiment models, registry versions): without remote and tags. */
function modelAssetView(ctx, exp, a) {
  const { remote, tags, ...view } = assetView(ctx, exp, a); // eslint-disable-line no-unused-vars
  return view;
}

/** The experiment and the asset named by assetId (undefined when it has none of that id). */
function findAsset(ctx) {
  const e = experiment(ctx);
  const id = need(ctx, 'assetId');
  return { e, a: e.assets.find((x) => x.assetId === id) };
}

/** The experiment and the name of one of its models (modelName), which must exist. */
function experimentModel(ctx) {
  const e = experiment(ctx);
  const name = need(ctx, 'modelName');
  if (!e.models.some((m) => m.modelName === name)) throw new ApiError(404, `Experiment model ${name} not found`);
  return { e, name };
}

/** A 302 to the storage server, with a query that looks like a pre-signed S3 URL's. */
function storageRedirect(ctx, e, a) {
  const signature = crypto.createHash('sha256').update(`${e.experimentKey}/${a.assetId}`).digest('hex');
  const location = `${ctx.storageUrl}/comet-assets/${e.experimentKey}/${encodeURIComponent(a.assetId)}/${encodeURIComponent(a.fileName)}`
    + `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature=${signature}`;
  return { status: 302, headers: { Location: location }, body: Buffer.alloc(0) };
}

const routes = {
  'GET experiment/asset/list': (ctx) => {
    const e = experiment(ctx);
    const type = ctx.query.type || 'all';
    return json({ assets: e.assets.filter((a) => type === 'all' || a.type === type).map((a) => assetView(ctx, e, a)) });
  },

  'GET experiment/asset/details': (ctx) => {
    const { e, a } = findAsset(ctx);
    if (!a) throw new ApiError(404, 'Asset not found');
    return json(assetView(ctx, e, a));
  },

  // Like Comet, an unknown asset is an HTTP 200 with an error body here (details answers 404).
  'GET experiment/asset/get-asset': (ctx) => {
    const { e, a } = findAsset(ctx);
    if (!a) return json(cometErrorBody(200, 'no asset for experiment'));
    if (a.redirect) return storageRedirect(ctx, e, a);
    return raw(a.content, a.fileName.split('/').pop());
  },

  'GET experiment/model': (ctx) => {
    const e = experiment(ctx);
    return json({ models: e.models.map((m) => ({ experimentModelId: m.experimentModelId, experimentKey: e.experimentKey, modelName: m.modelName })) });
  },

  'GET experiment/model/asset/list': (ctx) => {
    const { e, name } = experimentModel(ctx);
    return json({ assets: e.assets.filter((a) => a.modelName === name).map((a) => modelAssetView(ctx, e, a)) });
  },

  'GET experiment/model/download': (ctx) => {
    const { e, name } = experimentModel(ctx);
    const zip = buildZip(e.assets.filter((a) => a.modelName === name).map((a) => ({ name: a.fileName, data: a.content })));
    return raw(zip, `${name}.zip`);
  },
};

module.exports = { routes, modelAssetView };
