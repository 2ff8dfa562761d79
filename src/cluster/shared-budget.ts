import type { Budget } from '../client/budget';
import { sleep } from '../client/retry';
import { LuaScript, type RedisConnection } from './redis-connection';

/**
 * Reserves the next turn of a budget spread evenly (a rate limiter in the
 * generic cell rate form, one Lua script so the read and the write are one
 * atomic step, on Redis's clock so the processes' clocks need not agree):
 * KEYS[1] holds the earliest time the next request may go; the caller gets
 * how long to wait for the turn it took, and the next turn moves one interval
 * on. One round trip a request; the key expires once the budget is idle.
 */
const RESERVE = new LuaScript(`
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local at = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') or 0, now)
local nextAt = at + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.3f', nextAt), 'PX', math.ceil(nextAt - now) + 1000)
return string.format('%.3f', at - now)`);

/**
 * One `perMinute` budget for every process that uses the same server and
 * key: each request reserves its turn in Redis, then waits for it here, so
 * msgs wait their turn as with a process's own budget. A turn taken by a
 * request that is then cancelled is spent all the same: the budget errs on
 * the side of fewer requests, never more. Redis out of reach fails the
 * request with `unavailable()`'s error: nothing goes out unbudgeted.
 */
export class SharedBudget implements Budget {
  private readonly intervalMs: number;

  constructor(
    private readonly connection: RedisConnection,
    private readonly key: string,
    perMinute: number,
    private readonly unavailable: () => Error,
  ) {
    this.intervalMs = 60_000 / perMinute;
  }

  async take(signal?: AbortSignal, onWait?: (until: number) => void): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    let waitMs: number;
    try {
      waitMs = Number(await this.connection.run(RESERVE, [this.key], [this.intervalMs.toFixed(6)]));
    } catch {
      throw this.unavailable();
    }
    if (signal?.aborted) throw signal.reason;
    // A turn less than a ms away goes now: a timer could not wait that little.
    if (!(waitMs >= 1)) return;
    onWait?.(Date.now() + waitMs);
    await sleep(waitMs, signal);
  }
}
