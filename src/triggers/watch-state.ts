import type { VersionState } from './registry-events';
import type { MemoryForm } from './remembered';

/** What the model watch remembers of one model. */
export interface ModelMemory {
  /**
   * The workspace list's summary of the model when its details were last
   * read: the same summary again means nothing changed, so no details call.
   */
  readonly fingerprint?: string;
  readonly versions: ReadonlyMap<string, VersionState>;
}

/** Everything the model watch has seen, for one workspace and model choice. */
export interface WatchMemory {
  readonly models: ReadonlyMap<string, ModelMemory>;
}

/** A model as the context store keeps it: arrays rather than objects keyed by names that come from the server. */
interface StoredModel {
  modelName: string;
  fingerprint?: string;
  versions: { version: string; stages: string[]; status?: string }[];
}

/** The model watch's memory as plain JSON, for triggers/remembered.ts. */
export const MODEL_MEMORY: MemoryForm<WatchMemory> = {
  format: 1,
  write: (memory) => ({
    models: [...memory.models].map(
      ([modelName, model]): StoredModel => ({
        modelName,
        ...(model.fingerprint !== undefined && { fingerprint: model.fingerprint }),
        versions: [...model.versions].map(([version, state]) => ({
          version,
          stages: [...state.stages],
          ...(state.status !== undefined && { status: state.status }),
        })),
      }),
    ),
  }),
  read: (fields) => {
    const stored = fields.models as StoredModel[];
    if (!Array.isArray(stored)) throw new TypeError('no models');
    const models = new Map<string, ModelMemory>();
    for (const model of stored) {
      const versions = new Map<string, VersionState>();
      for (const v of model.versions) {
        versions.set(v.version, typeof v.status === 'string' ? { stages: [...v.stages], status: v.status } : { stages: [...v.stages] });
      }
      models.set(model.modelName, typeof model.fingerprint === 'string' ? { fingerprint: model.fingerprint, versions } : { versions });
    }
    return { models };
  },
};
