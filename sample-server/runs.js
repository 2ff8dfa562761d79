'use strict';
// Training runs as Comet sees them, for the experiment watch's tests and the
// demo: an experiment started from the SDK is `running` (its end time and
// duration move with every heartbeat, see routes/experiments.js), then
// finished or crashed (`hasCrashed`), resumed, archived or deleted. Also a
// project of thousands of experiments, and a server of the older kind whose
// experiment list says nothing of whether a run is alive.

/**
 * The run mutations of `data`. `makeProject(def, index)` and
 * `makeExperiment(project, spec, index)` are data.js's own record makers.
 */
function createRuns(data, { makeProject, makeExperiment, hexId }) {
  let started = 0;

  function projectOf(ws, projectName) {
    const project = data.findProject({ projectName, workspaceName: ws });
    if (!project) throw new Error(`no project ${ws}/${projectName}`);
    return project;
  }

  function run(key) {
    const exp = data.experiments[key];
    if (!exp) throw new Error(`no experiment ${key}`);
    return exp;
  }

  function end(key, crashed) {
    const exp = run(key);
    const now = Date.now();
    Object.assign(exp, { running: false, hasCrashed: crashed, endTimeMillis: now, durationMillis: now - exp.startTimeMillis });
    return exp;
  }

  return {
    /**
     * A new experiment of `ws`/`projectName`, running since now, with the sample
     * metrics, parameters and assets (`spec`: q, the final quality; params; tags).
     * Returns its key.
     */
    start(ws, projectName, experimentName, spec = {}) {
      const project = projectOf(ws, projectName);
      const key = hexId(`experiment:${ws}/${projectName}/${experimentName}`);
      if (data.experiments[key]) throw new Error(`experiment ${experimentName} of ${ws}/${projectName} exists`);
      const now = Date.now();
      const exp = makeExperiment(
        project,
        {
          name: experimentName,
          q: spec.q === undefined ? 0.9 : spec.q,
          params: spec.params || { model_type: 'xgboost', learning_rate: 0.05, batch_size: 256, epochs: 15 },
          tags: spec.tags || ['new'],
          startTimeMillis: now,
        },
        Object.keys(data.experiments).length + started++,
      );
      Object.assign(exp, { running: true, hasCrashed: false, endTimeMillis: now, durationMillis: 0 });
      data.experiments[key] = exp;
      return key;
    },
    finish: (key) => end(key, false),
    crash: (key) => end(key, true),
    /** Running again (an ExistingExperiment continuing it). */
    resume(key) {
      return Object.assign(run(key), { running: true, hasCrashed: false });
    },
    archive(key) {
      run(key).archived = true;
    },
    delete(key) {
      run(key);
      delete data.experiments[key];
    },
    /**
     * Adds project `projectName` (ml-team) with `count` light experiments
     * (list fields only, no metrics or assets), every `runningEvery`-th one
     * running; returns their keys in the list's order.
     */
    generate(count, { projectName = 'many-runs', runningEvery = 10 } = {}) {
      if (data.findProject({ projectName, workspaceName: 'ml-team' })) throw new Error(`project ml-team/${projectName} exists`);
      const project = makeProject({ workspace: 'ml-team', name: projectName, owner: 'ada', public: false, description: 'Generated runs', notes: '', shareCodes: [] }, data.projects.length);
      data.projects.push(project);
      const keys = [];
      for (let i = 0; i < count; i++) {
        const key = hexId(`experiment:ml-team/${projectName}/${i}`);
        const start = data.baseTime + i * 60000;
        const running = runningEvery > 0 && i % runningEvery === 0;
        data.experiments[key] = {
          experimentKey: key, experimentName: `run-${String(i).padStart(4, '0')}`,
          projectId: project.projectId, projectName, workspaceName: 'ml-team', optimizationId: null,
          startTimeMillis: start, endTimeMillis: start + 30000, durationMillis: 30000, running, hasCrashed: false,
          archived: false, filePath: '/runs/train.py', fileName: 'train.py', tags: [], params: {}, others: {}, metrics: {}, assets: [], models: [],
        };
        keys.push(key);
      }
      return keys;
    },
    /** Makes the experiment list and metadata leave out `running` and `hasCrashed`, as older servers do (false: back). */
    olderServer(older = true) {
      data.omitRunState = older;
    },
  };
}

module.exports = { createRuns };
