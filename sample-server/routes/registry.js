'use strict';
// The model registry: models, their versions (sorted by semver; a stage
// matches a version's stages or its status), the latest version by stage or
// major/minor, notes, and the version's zip. With setDownloadSize the zip is
// a generated one of that size, streamed, for the download benchmarks.

const { buildZip } = require('../zip');
const { bigModelZip } = require('../bigzip');
const { compareSemver, semverParts } = require('../data');
const { ApiError, OCTET, json, raw, need, workspace } = require('./common');
const { modelAssetView } = require('./assets');

function registryModel(ctx) {
  const ws = workspace(ctx);
  const name = need(ctx, 'modelName');
  const model = ctx.data.findRegistryModel(ws, name);
  if (!model) throw new ApiError(400, `Registry model ${name} not found in workspace ${ws}`, 42008);
  return { ws, model };
}

/** A version's files as assets: its own files (added with registry.addVersion), or its experiment model's. */
function versionAssets(ctx, model, v) {
  if (v.files) {
    const link = `${ctx.restRoot}registry-model/item/download?workspaceName=${encodeURIComponent(ctx.query.workspaceName)}`
      + `&modelName=${encodeURIComponent(model.modelName)}&version=${encodeURIComponent(v.version)}`;
    return v.files.map((f) => ({
      fileName: f.path, fileSize: f.content.length, runContext: null, step: null, link,
      createdAt: v.createdAt, dir: 'model-element', canView: false, audio: false, histogram: false, image: false,
      type: 'model-element', metadata: null, assetId: `${v.registryModelItemId.slice(0, 24)}${String(v.files.indexOf(f)).padStart(8, '0')}`,
    }));
  }
  const exp = ctx.data.experiments[v.experimentKey];
  if (!exp) return [];
  return exp.assets.filter((a) => a.modelName === v.experimentModelName).map((a) => modelAssetView(ctx, exp, a));
}

function versionView(ctx, model, v, withAssets) {
  const out = {
    registryModelItemId: v.registryModelItemId,
    experimentModel: { experimentModelId: v.experimentModelId, experimentModelName: v.experimentModelName, experimentKey: v.experimentKey },
    version: v.version,
    comment: v.comment,
    stages: v.stages.slice(),
    userName: v.userName,
    createdAt: v.createdAt,
    lastUpdated: v.lastUpdated,
  };
  if (v.status !== undefined) out.status = v.status;
  if (withAssets) out.assets = versionAssets(ctx, model, v);
  else out.metadata = versionAssets(ctx, model, v).map((a) => a.metadata).filter((m) => m !== null);
  return out;
}

function modelHead(m) {
  return {
    registryModelId: m.registryModelId,
    modelName: m.modelName,
    description: m.description,
    isPublic: m.isPublic,
    createdAt: m.createdAt,
    lastUpdated: m.lastUpdated,
    userName: m.userName,
  };
}

function sortedVersions(model) {
  return model.versions.slice().sort((a, b) => compareSemver(a.version, b.version));
}

function hasStage(v, stage) {
  const s = String(stage).toLowerCase();
  return v.stages.some((x) => x.toLowerCase() === s) || (typeof v.status === 'string' && v.status.toLowerCase() === s);
}

/** versionMajor / versionMinor: undefined when not given. */
function versionNumber(q, name) {
  if (q[name] === undefined || q[name] === '') return undefined;
  if (!/^\d+$/.test(q[name])) throw new ApiError(400, `${name} must be a non-negative integer`);
  return Number(q[name]);
}

function registryZip(ctx, model, v) {
  const files = v.files || ctx.data.experiments[v.experimentKey].assets
    .filter((a) => a.modelName === v.experimentModelName)
    .map((a) => ({ path: a.fileName, content: a.content }));
  return buildZip(files.map((f) => ({ name: f.path, data: f.content })));
}

function pickVersion(model, { version, stage }) {
  if (version) {
    if (!semverParts(version)) throw new ApiError(400, `Invalid version string: ${version}`, 42001);
    const v = model.versions.find((x) => x.version === version);
    if (!v) throw new ApiError(404, `Version ${version} of registry model ${model.modelName} not found`);
    return v;
  }
  const candidates = sortedVersions(model).filter((v) => !stage || hasStage(v, stage));
  if (!candidates.length) {
    throw new ApiError(404, stage ? `No version of registry model ${model.modelName} has stage ${stage}` : `Registry model ${model.modelName} has no versions`);
  }
  return candidates[candidates.length - 1];
}

const routes = {
  'GET registry-model': (ctx) => {
    const ws = workspace(ctx);
    return json({
      registryModels: (ctx.data.registryModels[ws] || []).map((m) => {
        const versions = sortedVersions(m);
        return { ...modelHead(m), latestVersion: versions.length ? versionView(ctx, m, versions[versions.length - 1], false) : null };
      }),
    });
  },

  'GET registry-model/count': (ctx) => json({ registryModelCount: (ctx.data.registryModels[workspace(ctx)] || []).length }),

  'GET registry-model/details': (ctx) => {
    const { model } = registryModel(ctx);
    return json({ ...modelHead(model), versions: sortedVersions(model).map((v) => versionView(ctx, model, v, true)) });
  },

  'GET registry-model/latest_version': (ctx) => {
    const { model } = registryModel(ctx);
    const q = ctx.query;
    const major = versionNumber(q, 'versionMajor');
    const minor = versionNumber(q, 'versionMinor');
    const matching = sortedVersions(model).filter((v) => {
      const s = semverParts(v.version);
      return (!q.stage || hasStage(v, q.stage)) && (major === undefined || s.major === major) && (minor === undefined || s.minor === minor);
    });
    if (!matching.length) throw new ApiError(404, `No version of registry model ${model.modelName} matches`);
    return json({ ...modelHead(model), versions: [versionView(ctx, model, matching[matching.length - 1], true)] });
  },

  'GET registry-model/notes': (ctx) => json({ notes: registryModel(ctx).model.notes }),

  'GET registry-model/item/download': async (ctx) => {
    const { model } = registryModel(ctx);
    const { version, stage } = ctx.query;
    if (version && stage) throw new ApiError(400, 'Give either version or stage, not both');
    const v = pickVersion(model, { version, stage });
    const filename = `${model.modelName}_${v.version}.zip`;
    if (ctx.data.downloadSize) {
      const zip = await bigModelZip(ctx.data.downloadSize, ctx.signal);
      return { status: 200, headers: { 'Content-Type': OCTET, 'Content-Disposition': `attachment; filename="${filename}"` }, stream: zip };
    }
    return raw(registryZip(ctx, model, v), filename);
  },
};

module.exports = { routes };
