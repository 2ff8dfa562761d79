import type { Node } from 'node-red';
import type { MemoryStore } from '../triggers/memory-store';

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
