import { createHash } from 'node:crypto';

/** Every key the package writes starts so, to keep it apart from what else lives in the same Redis. */
const PREFIX = 'node-red-comet';

/**
 * The Redis keys of one Comet account as seen from one server: named by a
 * hash of the server and the API key, so processes with the same config
 * meet under the same keys and the key itself is never written.
 */
export class SharedKeys {
  private readonly account: string;

  constructor(restRoot: string, apiKey: string) {
    this.account = hashOf(restRoot, apiKey);
  }

  /** The request budget every process with this server and key shares. */
  budget(): string {
    return `${PREFIX}:budget:${this.account}`;
  }

  /** The keys of one node (a watch, a webhook receiver): its node id hashed with the account. */
  node(nodeId: string): NodeKeys {
    const scope = `${PREFIX}:node:${hashOf(this.account, nodeId)}`;
    return {
      lease: `${scope}:lease`,
      memory: `${scope}:memory`,
      claim: (eventId) => `${scope}:claim:${hashOf(eventId)}`,
    };
  }
}

export interface NodeKeys {
  /** Who polls the watch now. */
  readonly lease: string;
  /** What the watch has seen. */
  readonly memory: string;
  /** Who sent the change `eventId`. */
  claim(eventId: string): string;
}

function hashOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 32);
}
