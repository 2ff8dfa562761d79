'use strict';
// Experiments: the list of a project's experiments and what one experiment
// holds besides its metrics and assets (metadata, git metadata and patch,
// html, code, output, graph, cloud details, tags, system details).

const { json, raw, cometErrorBody, flag, project, experiment } = require('./common');

/**
 * An experiment as the list and the metadata give it. A running one's end
 * time and duration are its last heartbeat's (now), as Comet moves them while
 * a run lives; `running` and `hasCrashed` are left out on an older server.
 */
function experimentItem(data, e) {
  // A training run's heartbeat is its training clock's (dataset/training.js).
  const now = e.heartbeatMillis ?? Date.now();
  return {
    experimentKey: e.experimentKey,
    experimentName: e.experimentName,
    optimizationId: e.optimizationId,
    durationMillis: e.running ? now - e.startTimeMillis : e.durationMillis,
    startTimeMillis: e.startTimeMillis,
    endTimeMillis: e.running ? now : e.endTimeMillis,
    filePath: e.filePath,
    fileName: e.fileName,
    archived: e.archived,
    ...(!data.omitRunState && { running: !!e.running, hasCrashed: !!e.hasCrashed }),
  };
}

const routes = {
  'GET experiments': (ctx) => {
    const p = project(ctx);
    return json({ experiments: ctx.data.projectExperiments(p.projectId, flag(ctx.query.archived)).map((e) => experimentItem(ctx.data, e)) });
  },

  // The list item with the experiment's project in it, in the place Comet puts it.
  'GET experiment/metadata': (ctx) => {
    const e = experiment(ctx);
    const { experimentKey, experimentName, optimizationId, ...rest } = experimentItem(ctx.data, e);
    return json({
      experimentKey,
      experimentName,
      optimizationId,
      projectId: e.projectId,
      projectName: e.projectName,
      workspaceName: e.workspaceName,
      ...rest,
    });
  },

  'GET experiment/git/metadata': (ctx) => {
    const g = experiment(ctx).git;
    return json(g ? { ...g } : { user: null, root: null, branch: null, parent: null, origin: null });
  },

  // Comet answers a missing patch with HTTP 200 and an error body, not with a 404.
  'GET experiment/git/patch': (ctx) => {
    const e = experiment(ctx);
    if (!e.patch) return json(cometErrorBody(200, 'no patch for experiment'));
    return raw(Buffer.from(e.patch));
  },

  'GET experiment/html': (ctx) => json({ html: experiment(ctx).html }),
  'GET experiment/code': (ctx) => json({ code: experiment(ctx).code }),
  'GET experiment/output': (ctx) => json({ output: experiment(ctx).output }),
  'GET experiment/graph': (ctx) => json({ graph: experiment(ctx).graph }),

  'GET experiment/cloud-details': (ctx) => {
    const e = experiment(ctx);
    const c = e.cloudDetails;
    return json(c ? { experimentKey: e.experimentKey, provider: c.provider, metadata: { ...c.metadata } } : { experimentKey: null, provider: null, metadata: null });
  },

  'GET experiment/tags': (ctx) => json({ tags: experiment(ctx).tags.slice() }),

  'GET experiment/system-details': (ctx) => json(JSON.parse(JSON.stringify(experiment(ctx).systemDetails))),
};

module.exports = { routes };
