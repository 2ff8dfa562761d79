/**
 * Where a watch keeps what it has seen between polls and across restarts
 * (the node context store the user picked, handed in by the Node-RED glue).
 */
export interface MemoryStore {
  read(): Promise<unknown>;
  write(value: unknown): Promise<void>;
}

/**
 * One memory kept in two stores: `durable` (on disk before each write
 * resolves) written first and read first, and `store` (the node's context
 * store) written after it and read only when `durable` has nothing, as on a
 * new machine whose context store lives elsewhere, or after an update from a
 * version of this package that kept it there alone.
 */
export function durableFirst(durable: MemoryStore, store: MemoryStore): MemoryStore {
  return {
    read: async () => (await durable.read()) ?? store.read(),
    write: async (value) => {
      await durable.write(value);
      await store.write(value);
    },
  };
}
