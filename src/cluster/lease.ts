import { randomBytes } from 'node:crypto';
import { LuaScript, type RedisConnection } from './redis-connection';

/**
 * Redis's documented lock for a single instance ("Distributed Locks with
 * Redis", the single-instance recipe): SET key token NX PX ttl with a random token; renewed and released only by
 * whoever holds that token, checked in Lua so that no one renews or deletes
 * a lease that has passed to another. Renew and acquire go in one script:
 * one round trip a beat. It answers 1 for a renewal, 2 for a lease taken
 * (free, as after a stall past its time to live in which another took it and let it go), 0 for another's.
 */
const HOLD = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 2
end
return 0`);

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

/** `held`: this process polls; `standby`: another one does; `unreachable`: Redis cannot be asked, so no one here polls. */
export type LeaseState = 'held' | 'standby' | 'unreachable';

/**
 * Keeps trying to hold one lease: a beat every third of its time to live
 * renews it while held, and takes it once free. A process that dies or
 * stalls longer than the time to live loses it to the next beat of another.
 * `onChange` hears each change of state; `stop()` lets the lease go at once,
 * so a redeploy hands over without waiting for it to run out.
 */
export class LeaseKeeper {
  /** Random for each keeper: two nodes, or two processes, never share a token. */
  readonly token = randomBytes(16).toString('hex');
  private state: LeaseState | undefined;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private stopped = false;
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly connection: RedisConnection,
    readonly key: string,
    readonly ttlMs: number,
    private readonly onChange: (state: LeaseState) => void,
  ) {}

  get held(): boolean {
    return this.state === 'held';
  }

  start(): void {
    // Redis up (at last, or again after an outage): try at once rather than at the next beat.
    this.unwatch = this.connection.watch((state) => {
      if (state === 'up') this.beat();
      else if (state === 'down') this.set('unreachable');
    });
  }

  /** Stops the beat and lets the lease go if held; never rejects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    clearTimeout(this.timer);
    // A beat under way as the stop came may take the lease after all (its answer is no longer heard): let that go too.
    const inFlight = this.beating;
    await inFlight;
    if (this.state !== 'held' && !inFlight) return;
    this.state = undefined;
    await this.connection.run(RELEASE, [this.key], [this.token]).catch(() => undefined);
  }

  private beat(): void {
    if (this.stopped || this.beating) return;
    clearTimeout(this.timer);
    this.beating = this.connection
      .run(HOLD, [this.key], [this.token, Math.ceil(this.ttlMs)])
      .then(
        // Taken anew while this keeper thought it held it all along: another may have written meanwhile, so it is told as a new `held`.
        (answer) => this.set(answer === 1 || answer === 2 ? 'held' : 'standby', answer === 2),
        () => this.set('unreachable'),
      )
      .finally(() => {
        this.beating = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.beat(), this.ttlMs / 3);
      });
  }

  private set(state: LeaseState, anew = false): void {
    if (this.stopped || (state === this.state && !anew)) return;
    this.state = state;
    this.onChange(state);
  }
}
