import path from 'node:path';
import type { Node, NodeAPI } from 'node-red';
import { DurableFile } from '../triggers/durable-file';
import { durableFirst, type MemoryStore } from '../triggers/memory-store';

/** The folder of userDir where watches keep what they have seen, one file a node. */
const WATCH_FOLDER = 'comet-watches';

/**
 * `key` of the node's context in the context store the user picked (blank:
 * the default store), as a trigger's memory: a persistent store makes what
 * the trigger has seen survive a restart of Node-RED.
 */
export function contextMemory(node: Node, key: string, store: string | undefined): MemoryStore {
  const context = node.context();
  return {
    read: () =>
      new Promise((resolve, reject) => {
        context.get(key, store || undefined, (err: Error | undefined, value: unknown) => (err ? reject(err) : resolve(value)));
      }),
    write: (value) =>
      new Promise((resolve, reject) => {
        context.set(key, value, store || undefined, (err: Error | undefined) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A watch node's memory, and what to do with it when the node is removed. */
export interface WatchMemory {
  readonly memory: MemoryStore;
  /** Deletes what only this node used (the node was deleted from the flows). */
  forget(): Promise<void>;
}

/**
 * The memory of a watch node. With a persistent context store picked, it is
 * first a file of the node's own in userDir/comet-watches, on disk before each
 * write resolves (triggers/durable-file.ts), then the context store as before:
 * Node-RED's localfilesystem store writes its files only every 30 s by
 * default, and a crash would lose what it had not written yet. With a memory
 * store the user asked to start afresh after a restart: no file, and one left
 * from before is removed so it cannot be read back later.
 */
export function watchMemory(RED: NodeAPI, node: Node, key: string, store: string | undefined): WatchMemory {
  const context = contextMemory(node, key, store);
  const settings = RED.settings as unknown as ContextSettings;
  const { userDir } = settings;
  if (typeof userDir !== 'string' || !userDir) return { memory: context, forget: () => Promise.resolve() };
  const file = new DurableFile(path.join(userDir, WATCH_FOLDER, `${key}-${node.id.replace(/[^\w.-]/g, '_')}.json`));
  const forget = () => file.remove();
  if (!isPersistentStore(settings, store)) return { memory: { read: () => forget().then(context.read), write: context.write }, forget };
  return { memory: durableFirst(file, context), forget };
}

/** A context store's settings: `module` a name ('memory', 'localfilesystem') or a module of its own; a text names another store. */
type StoreSetting = string | { module?: unknown } | undefined;

/** The settings a watch's memory depends on. */
interface ContextSettings {
  readonly userDir?: unknown;
  readonly contextStorage?: Record<string, StoreSetting>;
}

/**
 * Whether the context store `name` (blank: the default) keeps what is set
 * across a restart: any store but Node-RED's `memory` one. Resolved as
 * Node-RED does: no contextStorage is one memory store; `default` may name
 * another store; without `default` the first store listed is it; a store not
 * listed falls back to the default.
 */
export function isPersistentStore(settings: ContextSettings, name: string | undefined): boolean {
  const stores = settings.contextStorage;
  if (!stores || typeof stores !== 'object' || !Object.keys(stores).length) return false;
  const fallback = 'default' in stores ? 'default' : Object.keys(stores)[0];
  let setting = stores[name && name in stores ? name : fallback];
  // `default: "file"`: the default is the store named.
  if (typeof setting === 'string') setting = stores[setting];
  return !!setting && typeof setting === 'object' && setting.module !== undefined && setting.module !== 'memory';
}
