import type { Budget } from '../client/budget';
import { sleep } from '../client/retry';
import type { MemoryStore } from '../triggers/memory-store';
import { SharedKeys, type NodeKeys } from './keys';
import { LeaseKeeper, type LeaseState } from './lease';
import { connectionTo, type ConnectionState, type RedisConnection } from './redis-connection';
import { SharedBudget } from './shared-budget';
import { sharedMemory } from './shared-memory';

/** The wait before asking Redis again for a claim it could not answer. */
const RETRY_CLAIM_MS = 500;
/** How long a watch's claim on a change is kept: far longer than any handover, short enough that Redis does not fill up. */
const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

export interface SharedSettings {
  /** `redis://host:port[/db]` or `rediss://…`. */
  readonly url: string;
  readonly password: string | undefined;
  /** The Comet REST root and key the processes share: hashed into the keys, never written. */
  readonly restRoot: string;
  readonly apiKey: string;
  /** The error of a request that cannot take its turn because Redis is out of reach. */
  readonly unavailable: () => Error;
}

/**
 * What the processes using one config (server and key) share through Redis:
 * the request budget, and for each node its lease, memory and claims. One
 * per config node; `close()` lets go of the connection, which closes with
 * its last user.
 */
export class Shared {
  readonly connection: RedisConnection;
  private readonly keys: SharedKeys;

  constructor(private readonly settings: SharedSettings) {
    this.connection = connectionTo(settings.url, settings.password);
    this.connection.use();
    this.keys = new SharedKeys(settings.restRoot, settings.apiKey);
  }

  /** Why Redis could not be reached last, when known. */
  get reason(): string | undefined {
    return this.connection.reason;
  }

  /** Tells each change of the connection's state, and the state now; returns what stops it. */
  watchConnection(listener: (state: ConnectionState) => void): () => void {
    return this.connection.watch(listener);
  }

  budget(perMinute: number): Budget {
    return new SharedBudget(this.connection, this.keys.budget(), perMinute, this.settings.unavailable);
  }

  /** A watch node's share: its lease (time to live `ttlMs`), its memory under the lease, its claims. */
  watch(nodeId: string, ttlMs: number, onChange: (state: LeaseState) => void): SharedWatch {
    return new SharedWatch(this.connection, this.keys.node(nodeId), ttlMs, onChange);
  }

  /** The claims of a node that sends without a lease (a webhook receiver), each kept `ttlMs`. */
  claims(nodeId: string, ttlMs: number): Claims {
    return new Claims(this.connection, this.keys.node(nodeId), ttlMs);
  }

  close(): Promise<void> {
    return this.connection.release();
  }
}

/**
 * Each change sent once across processes: `claim(eventId)` sets a key if it
 * is absent (with an expiry) and says whether this call set it. Checked
 * right before a send, so two processes that overlap (a handover, a retried
 * webhook) never both send one change.
 */
export class Claims {
  constructor(
    protected readonly connection: RedisConnection,
    private readonly keys: NodeKeys,
    private readonly ttlMs: number,
  ) {}

  /** True when this process may send the change; rejects when Redis cannot be asked. */
  claim(eventId: string): Promise<boolean> {
    return this.connection.setIfAbsent(this.keys.claim(eventId), '1', this.ttlMs);
  }

  /**
   * Claims `eventId`, waiting out an outage of Redis rather than losing the
   * change: asks again each time Redis may be back, until it answers or
   * `signal` aborts (then rejects with its reason). `onWait` hears of each wait.
   */
  async claimWhenReachable(eventId: string, signal: AbortSignal, onWait: () => void): Promise<boolean> {
    for (;;) {
      try {
        return await this.claim(eventId);
      } catch {
        onWait();
        await sleep(RETRY_CLAIM_MS, signal);
      }
    }
  }

  get reachable(): boolean {
    return this.connection.up;
  }
}

/**
 * A watch node's share: its lease, its memory under the lease, its claims.
 * It keeps the connection open until `stop()` has let the lease go, even
 * when its config node closes first, so a redeploy hands the watch over at once.
 */
export class SharedWatch extends Claims {
  readonly lease: LeaseKeeper;
  /** What the watch has seen, written only while this process holds the lease. */
  readonly memory: MemoryStore;

  constructor(
    connection: RedisConnection,
    keys: NodeKeys,
    ttlMs: number,
    onChange: (state: LeaseState) => void,
  ) {
    super(connection, keys, CLAIM_TTL_MS);
    connection.use();
    this.lease = new LeaseKeeper(connection, keys.lease, ttlMs, onChange);
    this.memory = sharedMemory(connection, keys, this.lease.token);
  }

  /** Lets the lease go, then the connection; never rejects. */
  async stop(): Promise<void> {
    await this.lease.stop();
    await this.connection.release();
  }
}
