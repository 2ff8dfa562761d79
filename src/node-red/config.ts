import type { Node } from 'node-red';
import type { CometClient } from '../client/client';
import type { Shared } from '../cluster/shared';

/** What every node of the package asks of a `comet-config` node. */
export interface CometConfigNode extends Node {
  /** The default workspace: the node's, else COMET_WORKSPACE; may be undefined. */
  readonly workspace: string | undefined;
  /** The shared client; throws a CometError (NO_API_KEY, bad server) when it cannot be made. */
  client(): CometClient;
  /**
   * What the processes using this config share through its Redis (leases,
   * memory, claims); undefined without a Redis URL. Throws a CometError when
   * the URL is not a Redis URL or the client cannot be made.
   */
  shared(): Shared | undefined;
}

/** The config node's properties as saved in the flow. */
export interface ConfigProperties {
  name?: string;
  baseUrl?: string;
  workspace?: string;
  concurrency?: string | number;
  timeout?: string | number;
  retries?: string | number;
  /** Requests a minute for every node using the config together; blank: no budget. */
  rate?: string | number;
  tls?: string;
  /** `redis://host:port[/db]` or `rediss://…`: what several Node-RED processes share; blank: nothing shared. */
  redisUrl?: string;
}

/** `${NAME}` (Node-RED's usual syntax), read as an environment setting. */
export function envReference(value: string): string | undefined {
  const match = /^\$\{(\w+)\}$/.exec(value.trim());
  return match ? match[1] : undefined;
}
