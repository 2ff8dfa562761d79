import type { MemoryStore } from '../triggers/memory-store';
import { LuaScript, type RedisConnection } from './redis-connection';

/** Writes the memory only while the lease (KEYS[1]) holds the writer's token: a process that lost it writes nothing. */
const WRITE_IF_HELD = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2])
  return 1
end
return 0`);

/** Thrown by a write of a process that no longer holds the watch's lease: the poll's findings are another's now. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/**
 * A watch's memory in Redis, shared by every process that runs the watch:
 * read by whoever takes the lease, written (as JSON, with no expiry) only
 * under it.
 */
export function sharedMemory(connection: RedisConnection, keys: { lease: string; memory: string }, token: string): MemoryStore {
  return {
    async read() {
      const text = await connection.get(keys.memory);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // Not written by write(): none, as the watches' own file reads it (the watch starts afresh rather than fail every poll).
        return undefined;
      }
    },
    async write(value) {
      const written = await connection.run(WRITE_IF_HELD, [keys.lease, keys.memory], [token, JSON.stringify(value)]);
      if (written !== 1) throw new LeaseLostError('the watch is polled by another Node-RED now');
    },
  };
}
