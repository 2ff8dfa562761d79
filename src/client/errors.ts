/**
 * Every failure the package reports is a CometError with one stable `code`
 * from ERROR_CODES. Node-RED copies `message`, `code` and `cause` of the
 * Error given to done() into msg.error, so flows can branch on
 * msg.error.code and read msg.error.cause without parsing text.
 */

export const ERROR_CODES = {
  /** A parameter is missing or has a value Comet cannot take. Nothing was sent. */
  BAD_INPUT: 'COMET_BAD_INPUT',
  /** No API key: neither in the config node nor in COMET_API_KEY. */
  NO_API_KEY: 'COMET_NO_API_KEY',
  /** HTTP 401: Comet does not know the key. */
  KEY_REJECTED: 'COMET_KEY_REJECTED',
  /** HTTP 403: the key is known but may not read this. */
  FORBIDDEN: 'COMET_FORBIDDEN',
  /** HTTP 404, or Comet's "not found" sdk_error_codes. */
  NOT_FOUND: 'COMET_NOT_FOUND',
  /** HTTP 400 and other 4xx: Comet refused the request as made. */
  BAD_REQUEST: 'COMET_BAD_REQUEST',
  /** HTTP 429 after every retry. */
  RATE_LIMITED: 'COMET_RATE_LIMITED',
  /** HTTP 5xx after every retry. */
  SERVER_ERROR: 'COMET_SERVER_ERROR',
  /** DNS failure, refused or reset connection, TLS failure. */
  NETWORK: 'COMET_NETWORK',
  /** No answer within the configured timeout. */
  TIMEOUT: 'COMET_TIMEOUT',
  /** An answer that is not what the endpoint gives: HTML, bad JSON, wrong type. */
  UNEXPECTED_ANSWER: 'COMET_UNEXPECTED_ANSWER',
  /** An answer larger than the configured limit. */
  TOO_LARGE: 'COMET_TOO_LARGE',
  /** More messages waiting than the config node's queue holds. */
  QUEUE_FULL: 'COMET_QUEUE_FULL',
  /** The node was closed (redeploy, shutdown) while the request was pending. */
  ABORTED: 'COMET_ABORTED',
  /** A download could not be written to disk. */
  FILE_ERROR: 'COMET_FILE_ERROR',
  /** A zip that is unsafe to unpack (zip slip, symlink, zip bomb) or not a zip. */
  BAD_ARCHIVE: 'COMET_BAD_ARCHIVE',
  /** The config's Redis cannot be reached, so the shared request budget cannot be taken. Nothing was sent. */
  SHARED_UNAVAILABLE: 'COMET_SHARED_UNAVAILABLE',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** What is known about a failure, as the contract shapes msg.error.cause. */
export interface CometErrorCause {
  code: ErrorCode;
  statusCode?: number;
  sdkErrorCode?: number;
  endpoint?: string;
}

export interface CometErrorDetails {
  statusCode?: number;
  sdkErrorCode?: number;
  endpoint?: string;
  /** Comet's own `msg` from an error body, when there was one. */
  cometMessage?: string;
  /** Seconds Comet asked us to wait (429), when it said. */
  retryAfterSeconds?: number;
}

export class CometError extends Error {
  override name = 'CometError';
  readonly code: ErrorCode;
  readonly statusCode?: number;
  readonly sdkErrorCode?: number;
  readonly endpoint?: string;
  readonly cometMessage?: string;
  readonly retryAfterSeconds?: number;
  override readonly cause: CometErrorCause;

  constructor(code: ErrorCode, message: string, details: CometErrorDetails = {}) {
    super(message);
    this.code = code;
    this.statusCode = details.statusCode;
    this.sdkErrorCode = details.sdkErrorCode;
    this.endpoint = details.endpoint;
    this.cometMessage = details.cometMessage;
    this.retryAfterSeconds = details.retryAfterSeconds;
    const cause: CometErrorCause = { code };
    if (details.statusCode !== undefined) cause.statusCode = details.statusCode;
    if (details.sdkErrorCode !== undefined) cause.sdkErrorCode = details.sdkErrorCode;
    if (details.endpoint !== undefined) cause.endpoint = details.endpoint;
    this.cause = cause;
  }

  // Named constructors, one per code the package raises, so a call site says
  // what went wrong rather than spelling out a code.
  static badInput = (message: string, details?: CometErrorDetails): CometError => new CometError(ERROR_CODES.BAD_INPUT, message, details);
  static noApiKey = (message: string): CometError => new CometError(ERROR_CODES.NO_API_KEY, message);
  static notFound = (message: string, details?: CometErrorDetails): CometError => new CometError(ERROR_CODES.NOT_FOUND, message, details);
  static network = (message: string, details?: CometErrorDetails): CometError => new CometError(ERROR_CODES.NETWORK, message, details);
  static timeout = (message: string, details?: CometErrorDetails): CometError => new CometError(ERROR_CODES.TIMEOUT, message, details);
  static unexpectedAnswer = (message: string, details?: CometErrorDetails): CometError => new CometError(ERROR_CODES.UNEXPECTED_ANSWER, message, details);
  static tooLarge = (message: string, details?: CometErrorDetails): CometError => new CometError(ERROR_CODES.TOO_LARGE, message, details);
  static queueFull = (message: string): CometError => new CometError(ERROR_CODES.QUEUE_FULL, message);
  static aborted = (message: string): CometError => new CometError(ERROR_CODES.ABORTED, message);
  static fileError = (message: string, details?: CometErrorDetails): CometError => new CometError(ERROR_CODES.FILE_ERROR, message, details);
  static badArchive = (message: string, details?: CometErrorDetails): CometError => new CometError(ERROR_CODES.BAD_ARCHIVE, message, details);
  static sharedUnavailable = (message: string): CometError => new CometError(ERROR_CODES.SHARED_UNAVAILABLE, message);

  /** Node-RED builds msg.error.message from toString(): keep it the plain sentence. */
  override toString(): string {
    return this.message;
  }
}

export function isCometError(err: unknown): err is CometError {
  return err instanceof CometError;
}
