'use strict';
// Workspace-level records outside projects and the registry: artifact
// versions (by id, version, alias or either; the highest version by default)
// as zips, and the webhook configs of the registry (workspace-wide or one
// model's).

const { buildZip } = require('../zip');
const { compareSemver } = require('../data');
const { ApiError, json, raw, workspace } = require('./common');

/** The version the query names (versionId, version, alias or versionOrAlias); the highest when none. */
function artifactVersion(art, q) {
  const wanted = q.versionId || q.version || q.alias || q.versionOrAlias;
  const sorted = art.versions.slice().sort((a, b) => compareSemver(a.version, b.version));
  if (!wanted) return sorted[sorted.length - 1];
  return sorted.find((x) => (q.versionId && x.versionId === q.versionId)
    || (q.version && x.version === q.version)
    || (q.alias && x.aliases.includes(q.alias))
    || (q.versionOrAlias && (x.version === q.versionOrAlias || x.aliases.includes(q.versionOrAlias))));
}

const routes = {
  'GET artifacts/version/download': (ctx) => {
    const ws = workspace(ctx, 'workspace');
    const q = ctx.query;
    if (!q.artifactName && !q.artifactId) throw new ApiError(400, 'Missing required query parameter: artifactName or artifactId');
    const art = ctx.data.artifacts.find((a) => a.workspaceName === ws && (q.artifactId ? a.artifactId === q.artifactId : a.artifactName === q.artifactName));
    if (!art) throw new ApiError(404, 'No artifact found', 624522);
    const v = artifactVersion(art, q);
    if (!v) throw new ApiError(404, 'Artifact version not found', 624523);
    return raw(buildZip(v.files.map((f) => ({ name: f.path, data: f.content }))), `${art.artifactName}-${v.version}.zip`);
  },

  'GET webhooks/config': (ctx) => {
    const ws = workspace(ctx);
    const modelName = ctx.query.modelName || null;
    const conf = (ctx.data.webhooks[ws] || []).find((c) => c.modelName === modelName);
    return json({ workspaceName: ws, modelName, webhookUrls: conf ? JSON.parse(JSON.stringify(conf.webhookUrls)) : [] });
  },
};

module.exports = { routes };
