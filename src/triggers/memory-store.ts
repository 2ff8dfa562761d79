/**
 * Where a watch keeps what it has seen between polls and across restarts
 * (the node context store the user picked, handed in by the Node-RED glue).
 */
export interface MemoryStore {
  read(): Promise<unknown>;
  write(value: unknown): Promise<void>;
}
