import type { VersionState } from './registry-events';

/** What the watch node remembers of one model. */
export interface ModelMemory {
  /**
   * The workspace list's summary of the model when its details were last
   * read: the same summary again means nothing changed, so no details call.
   */
  readonly fingerprint?: string;
  readonly versions: ReadonlyMap<string, VersionState>;
}

/** Everything the watch node has seen, for one workspace and model choice. */
export interface WatchMemory {
  /** Whose memory this is (workspace and model): after the node is pointed elsewhere it is not used. */
  readonly scope: string;
  readonly models: ReadonlyMap<string, ModelMemory>;
}

/**
 * The form kept in the context store: plain JSON (a file store writes it as
 * is), arrays rather than objects keyed by names that come from the server.
 */
interface StoredMemory {
  format: typeof FORMAT;
  scope: string;
  models: { modelName: string; fingerprint?: string; versions: { version: string; stages: string[]; status?: string }[] }[];
}

const FORMAT = 1;

export function storedForm(memory: WatchMemory): StoredMemory {
  return {
    format: FORMAT,
    scope: memory.scope,
    models: [...memory.models].map(([modelName, model]) => ({
      modelName,
      ...(model.fingerprint !== undefined && { fingerprint: model.fingerprint }),
      versions: [...model.versions].map(([version, state]) => ({
        version,
        stages: [...state.stages],
        ...(state.status !== undefined && { status: state.status }),
      })),
    })),
  };
}

/** The memory kept in the store, or undefined when there is none for `scope` (or it is unreadable). */
export function memoryFromStore(value: unknown, scope: string): WatchMemory | undefined {
  const stored = value as Partial<StoredMemory> | undefined;
  if (!stored || stored.format !== FORMAT || stored.scope !== scope || !Array.isArray(stored.models)) return undefined;
  try {
    const models = new Map<string, ModelMemory>();
    for (const model of stored.models) {
      const versions = new Map<string, VersionState>();
      for (const v of model.versions) {
        versions.set(v.version, typeof v.status === 'string' ? { stages: [...v.stages], status: v.status } : { stages: [...v.stages] });
      }
      models.set(model.modelName, typeof model.fingerprint === 'string' ? { fingerprint: model.fingerprint, versions } : { versions });
    }
    return { scope, models };
  } catch {
    // Written by something else: start afresh rather than fail every poll.
    return undefined;
  }
}
