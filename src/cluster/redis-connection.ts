import { createHash } from 'node:crypto';
import type { RedisClientType } from 'redis';

/** `connecting`: the first attempt has not ended; `up`: commands go through; `down`: Redis cannot be reached (the client keeps trying). */
export type ConnectionState = 'connecting' | 'up' | 'down';

/** A Lua script, sent once by its text and after that by its SHA1 (EVALSHA). */
export class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

/** The wait between two attempts to reach Redis again. */
const RECONNECT_MS = 500;
/** The longest one attempt to reach Redis waits. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * One connection to one Redis (URL and password), shared by every config
 * node that names it and closed when the last lets go. `redis` (node-redis)
 * is loaded only here, so a Node-RED without a Redis URL never loads it.
 * Commands fail at once while Redis is down (no offline queue): a caller
 * hears of it and decides (a watch pauses, a msg fails with a clear error),
 * and nothing waits unseen.
 */
export class RedisConnection {
  private client: RedisClientType | undefined;
  private opening: Promise<void> | undefined;
  private state: ConnectionState = 'connecting';
  /** Settles when the first attempt to reach Redis has ended, either way: a command before then waits for it. */
  private readonly attempted: Promise<void>;
  private endAttempt: () => void = () => undefined;
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private users = 0;
  /** Why Redis could not be reached last (node-redis's words: a refused connection, a wrong password). */
  private lastError: string | undefined;
  private closed = false;

  constructor(
    /** `redis://host:port[/db]` or `rediss://…`; any password in it is used, never shown. */
    private readonly url: string,
    private readonly password: string | undefined,
    private readonly onLastRelease: () => void,
  ) {
    this.attempted = new Promise((resolve) => (this.endAttempt = resolve));
  }

  /** Host and port, for messages: never the password. */
  get address(): string {
    return displayAddress(this.url);
  }

  get up(): boolean {
    return this.state === 'up';
  }

  /** Why Redis could not be reached last, when known. */
  get reason(): string | undefined {
    return this.lastError;
  }

  /** Whether the first attempt to reach Redis is still under way. */
  get connecting(): boolean {
    return this.state === 'connecting';
  }

  /** One more user; the connection opens with the first. */
  use(): void {
    this.users++;
    // A client that cannot even be made (node-redis refuses the URL) is Redis down, told as any other reason: never a rejection no one hears.
    this.opening ??= this.open().catch((err: unknown) => {
      this.lastError = err instanceof Error ? err.message || err.name : String(err);
      this.setState('down');
    });
  }

  /** Tells `listener` each change of state (and the state now, at once); returns what stops it. */
  watch(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** One user fewer; the last closes the connection. */
  async release(): Promise<void> {
    if (--this.users > 0) return;
    this.closed = true;
    this.state = 'down';
    this.endAttempt();
    this.onLastRelease();
    await this.opening?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (!client?.isOpen) return;
    // A client still trying to reach a Redis that is down is dropped at once: close() would wait for it.
    if (client.isReady) await client.close().catch(() => client.destroy());
    else client.destroy();
  }

  /** Runs `script` in one round trip; rejects when Redis is down or does not answer. */
  async run(script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    const client = await this.ready();
    const options = { keys, arguments: args.map(String) };
    try {
      return await client.evalSha(script.sha, options);
    } catch (err) {
      if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
      return client.eval(script.source, options);
    }
  }

  /** SET key value NX PX ttl: whether this call set it. */
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const client = await this.ready();
    return (await client.set(key, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
  }

  async get(key: string): Promise<string | null> {
    const client = await this.ready();
    return (await client.get(key)) as string | null;
  }

  private async ready(): Promise<RedisClientType> {
    await this.opening;
    await this.attempted;
    const client = this.client;
    if (!client || !client.isReady) throw new Error(`Redis at ${this.address} is not reachable`);
    return client;
  }

  private async open(): Promise<void> {
    const { createClient } = await import('redis');
    if (this.closed) return;
    const client = createClient({
      url: this.url,
      password: this.password || undefined,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: RECONNECT_MS, connectTimeout: CONNECT_TIMEOUT_MS },
    }) as unknown as RedisClientType;
    this.client = client;
    client.on('ready', () => {
      this.lastError = undefined;
      this.setState('up');
    });
    client.on('end', () => this.setState('down'));
    client.on('reconnecting', () => this.setState('down'));
    // Without a listener node-redis would throw; the state tells what matters.
    client.on('error', (err: unknown) => {
      this.lastError = err instanceof Error ? err.message || err.name : String(err);
      this.setState(client.isReady ? 'up' : 'down');
    });
    // Not awaited: while Redis is down the client keeps trying, and commands fail at once meanwhile.
    client.connect().catch(() => this.setState('down'));
  }

  private setState(state: ConnectionState): void {
    if (state === this.state || this.closed) return;
    this.state = state;
    this.endAttempt();
    for (const listener of this.listeners) listener(state);
  }
}

/** Host, port and database of a Redis URL, without user or password. */
export function displayAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
  } catch {
    return 'redis';
  }
}

/** Whether `url` is a Redis URL this package connects to: a host, and as its path at most a database number (node-redis refuses any other). */
export function isRedisUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // No password in it: a URL is a node property, saved in flows.json and in every export; the password is a credential.
    return (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:') && !!parsed.hostname && /^\/?\d*$/.test(parsed.pathname) && !parsed.password;
  } catch {
    return false;
  }
}

const connections = new Map<string, RedisConnection>();

/** The connection to `url` with `password`, shared by every caller that names the same pair; `use()` it, `release()` it. */
export function connectionTo(url: string, password: string | undefined): RedisConnection {
  // The password only as a hash, even as a map key in memory.
  const id = `${url}\n${createHash('sha256').update(password ?? '').digest('hex')}`;
  let connection = connections.get(id);
  if (!connection) {
    const made: RedisConnection = new RedisConnection(url, password, () => {
      if (connections.get(id) === made) connections.delete(id);
    });
    connection = made;
    connections.set(id, connection);
  }
  return connection;
}
