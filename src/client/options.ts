import type { ConnectionOptions } from 'node:tls';
import { numberSetting } from '../text/numbers';
import type { Budget } from './budget';
import type { Translate } from './translate';

export interface ClientOptions {
  /** The Comet server in any accepted form (see restRootOf). */
  readonly server: string;
  readonly apiKey: string;
  /** How messages name the config node ("config node X"). */
  readonly label: string;
  /** Requests in flight at once; more wait in a queue. */
  readonly concurrency?: number;
  /** Requests a minute, retries and resumes included, spread evenly; blank or 0: no budget. */
  readonly ratePerMinute?: number;
  /** Makes the budget of `ratePerMinute` for `restRoot` shared with other processes (through Redis); blank: this process's own. */
  readonly sharedBudget?: (perMinute: number, restRoot: string) => Budget;
  /** Ms for a whole JSON answer, or between two chunks of a download. */
  readonly timeoutMs?: number;
  /** Extra attempts after the first, for retryable failures. */
  readonly retries?: number;
  readonly maxQueued?: number;
  /** Largest JSON or raw answer read into memory. */
  readonly maxAnswerBytes?: number;
  readonly retryBaseMs?: number;
  /** Longest single wait before a retry; a longer Retry-After gives up at once. */
  readonly retryMaxWaitMs?: number;
  /** TLS options (ca, cert, key, rejectUnauthorized) for a self-hosted server. */
  readonly tls?: ConnectionOptions;
  /** The package's messages (the config node passes Node-RED's i18n). */
  readonly t: Translate;
}

/** The numbers a client runs by, each one read, checked and defaulted. */
export type Tuning = Required<Omit<ClientOptions, 'tls' | 't' | 'server' | 'apiKey' | 'label' | 'ratePerMinute' | 'sharedBudget'>> & { readonly ratePerMinute: number | undefined };

const CLIENT_DEFAULTS = {
  concurrency: 4,
  timeoutMs: 30_000,
  retries: 3,
  maxQueued: 100_000,
  maxAnswerBytes: 512 * 1024 * 1024,
  retryBaseMs: 500,
  retryMaxWaitMs: 60_000,
} as const;

const POSITIVE = { above: 0, lenient: true } as const;
const NON_NEGATIVE = { min: 0, lenient: true } as const;

/** Blank, out-of-range and mistyped values fall back to the defaults: a typo in a tuning field must not stop a flow. */
export function tuningOf(options: ClientOptions): Tuning {
  return {
    concurrency: numberSetting(options.concurrency, CLIENT_DEFAULTS.concurrency, POSITIVE),
    ratePerMinute: numberSetting(options.ratePerMinute, undefined, POSITIVE),
    timeoutMs: numberSetting(options.timeoutMs, CLIENT_DEFAULTS.timeoutMs, POSITIVE),
    retries: numberSetting(options.retries, CLIENT_DEFAULTS.retries, NON_NEGATIVE),
    maxQueued: numberSetting(options.maxQueued, CLIENT_DEFAULTS.maxQueued, POSITIVE),
    maxAnswerBytes: numberSetting(options.maxAnswerBytes, CLIENT_DEFAULTS.maxAnswerBytes, POSITIVE),
    retryBaseMs: numberSetting(options.retryBaseMs, CLIENT_DEFAULTS.retryBaseMs, NON_NEGATIVE),
    retryMaxWaitMs: numberSetting(options.retryMaxWaitMs, CLIENT_DEFAULTS.retryMaxWaitMs, NON_NEGATIVE),
  };
}
