'use strict';
// Changes to the sample registry, as Comet's UI would make them, for tests and
// benchmarks of what watches the registry: server.registry.

/**
 * The registry mutations of `data`: `records` are registry.js's record makers,
 * `stamp()` dates each change.
 */
function createRegistryMutations(data, { versionRecord, modelRecord }, stamp) {
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

  const registry = {
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
        registry.addModel(ws, name, { description: `generated model ${i}`, versions });
        names.push(name);
      }
      return names;
    },
  };
  return registry;
}

module.exports = { createRegistryMutations };
