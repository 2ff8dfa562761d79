/**
 * The shape of a catalogue entry: what a parameter is and how it is checked,
 * where it goes on the wire, and what the answer is.
 */

/**
 * How a parameter's value is checked and sent:
 * - string: text (numbers are accepted and sent as text);
 * - integer: a whole number >= 0, or text of one;
 * - boolean: true/false, or the text "true"/"false";
 * - enum: one of `values`;
 * - stringList: an array of strings, or comma-separated text;
 * - jsonArray: an array, or JSON text of one;
 * - filter: text in the words of Comet's Python SDK queries (`accuracy > 0.8`),
 *   compiled into predicates by src/filter/ once the project's columns are known.
 */
export type ParamKind = 'string' | 'integer' | 'boolean' | 'enum' | 'stringList' | 'jsonArray' | 'filter';

export interface ParamSpec {
  /** Node property, msg property and label key, as the contract names it. */
  readonly name: string;
  readonly kind: ParamKind;
  readonly required?: boolean;
  /** The name Comet gives it, when it differs from `name`. */
  readonly apiName?: string;
  /** Where it goes; default: query for GET, body for POST. */
  readonly in?: 'query' | 'body' | 'path';
  /** Allowed values of an enum. */
  readonly values?: readonly string[];
  /** Where else in the msg a value may come from (e.g. a previous node's answer). */
  readonly alsoFrom?: string;
  /** A stringList that may be empty (a query that matched nothing), instead of counting as missing. */
  readonly emptyAllowed?: boolean;
}

/** What the answer is: parsed JSON, bytes (Buffer), or a file to download. */
export type AnswerKind = 'json' | 'raw' | 'download';

/** Parameters read and checked together: an endpoint's, or a node's own (comet-report's). */
export interface ParamSet {
  /** What messages name as the subject: an endpoint's path, or a node type. */
  readonly path: string;
  readonly params: readonly ParamSpec[];
  /** Alternatives of which one must be complete; only the first complete one is sent. */
  readonly oneOf?: readonly (readonly string[])[];
  /** Parameters of which at most one may be given. */
  readonly exclusive?: readonly string[];
  /** Parameters of which at least one must be given. */
  readonly anyOf?: readonly string[];
}

export interface EndpointSpec extends ParamSet {
  readonly method: 'GET' | 'POST';
  /** Relative to the REST root; `{name}` is filled from a path parameter. */
  readonly path: string;
  readonly answer: AnswerKind;
  /** The endpoint takes only projectId: a projectName (+ workspace) is resolved to it first. */
  readonly resolvesProjectId?: boolean;
  /** Where in the answer the status finds what to count: a list, an object's keys, or a number. */
  readonly count?: string;
  /** What is counted: a key of the locale's `status.noun` (default: `count` itself). */
  readonly noun?: string;
  /** A parameter whose value leads the status: `loss: 150 values`. */
  readonly countLabel?: string;
  /**
   * Node options of the operation: fields read like parameters (node, else
   * msg) that shape what the node gives, never sent to Comet.
   */
  readonly options?: readonly ParamSpec[];
  /** How the `shape: series` option reads the answer as chart points (series.ts). */
  readonly series?: 'metric' | 'chart';
}

export interface NodeSpec {
  readonly operations: Readonly<Record<string, EndpointSpec>>;
}
