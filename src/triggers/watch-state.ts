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
  versions: { version: string; stages: string[]; status?: string; item?: string; updated?: string }[];
}

/** The fields of a VersionState kept as text when they are there (a memory written before they were has none). */
const VERSION_TEXTS = new Set(['status', 'item', 'updated']);

/** The model watch's memory as plain JSON, for triggers/remembered.ts. */
export const MODEL_MEMORY: MemoryForm<WatchMemory> = {
  format: 1,
  write: (memory) => ({
    models: [...memory.models].map(
      ([modelName, model]): StoredModel => ({
        modelName,
        ...(model.fingerprint !== undefined && { fingerprint: model.fingerprint }),
        versions: [...model.versions].map(([version, state]) => ({ ...state, version, stages: [...state.stages] })),
      }),
    ),
  }),
  read: (fields) => {
    const stored = fields.models as StoredModel[];
    if (!Array.isArray(stored)) throw new TypeError('no models');
    const models = new Map<string, ModelMemory>();
    for (const model of stored) {
      const versions = new Map<string, VersionState>();
      for (const { version, stages, ...rest } of model.versions) {
        const texts = Object.entries(rest).filter(([field, value]) => VERSION_TEXTS.has(field) && typeof value === 'string');
        versions.set(version, { stages: [...stages], ...Object.fromEntries(texts) });
      }
      models.set(model.modelName, typeof model.fingerprint === 'string' ? { fingerprint: model.fingerprint, versions } : { versions });
    }
    return { models };
  },
};
