import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { placeOf, wireName, type EndpointSpec, type ParamSpec } from './catalogue';
import type { Call } from './client';
import { CometError, ERROR_CODES } from './errors';
import type { Translate } from './i18n';

/** The node's config as saved in the flow: each parameter and its TypedInput type. */
export type NodeConfig = Record<string, unknown>;

/** Values of one msg, checked and normalised, by parameter name. */
export type Values = Record<string, unknown>;

const MAX_TEXT = 4096;
/** Types whose value is fixed at deploy time. */
const STATIC_TYPES = new Set(['str', 'num', 'bool', 'json']);

/** Where a parameter's value comes from, decided once at deploy time. */
type Source =
  | { readonly from: 'static'; readonly value: unknown }
  | { readonly from: 'msg'; readonly path: string }
  | { readonly from: 'jsonata'; readonly expression: unknown }
  | { readonly from: 'context'; readonly type: string; readonly value: string }
  /** A value that could not be read at deploy time: every msg fails with it. */
  | { readonly from: 'broken'; readonly reason: string };

interface PreparedParam {
  readonly spec: ParamSpec;
  /** The node's field; undefined when blank, so the msg is read. */
  readonly field?: Source;
  /** Required outside any one-of group. */
  readonly required: boolean;
}

/**
 * Reads an operation's parameters for each msg, as the contract says: a
 * field set in the node wins; a blank one reads msg.<name> (then any
 * `alsoFrom` place); `workspace` falls back to the config node's default.
 * Every value is checked before anything is sent.
 */
export class ParamResolver {
  private readonly params: readonly PreparedParam[];

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    config: NodeConfig,
    readonly endpoint: EndpointSpec,
    private readonly t: Translate,
  ) {
    const grouped = new Set((endpoint.oneOf ?? []).flat());
    this.params = endpoint.params.map((spec) => ({
      spec,
      field: this.prepareField(config[spec.name], config[`${spec.name}Type`]),
      required: !!spec.required && !grouped.has(spec.name),
    }));
  }

  private prepareField(value: unknown, type: unknown): Source | undefined {
    const kind = typeof type === 'string' && type ? type : 'str';
    if (value === undefined || value === null || value === '') return undefined;
    const text = String(value);
    try {
      if (STATIC_TYPES.has(kind)) return { from: 'static', value: this.RED.util.evaluateNodeProperty(text, kind, this.node, {} as NodeMessage) };
      if (kind === 'msg') return { from: 'msg', path: text };
      if (kind === 'jsonata') return { from: 'jsonata', expression: this.RED.util.prepareJSONataExpression(text, this.node) };
      return { from: 'context', type: kind, value: text };
    } catch (err) {
      return { from: 'broken', reason: (err as Error).message };
    }
  }

  /** The checked values of `msg`; throws a BAD_INPUT CometError naming the parameter. */
  async resolve(msg: NodeMessage, defaultWorkspace: string | undefined): Promise<Values> {
    const values: Values = {};
    for (const param of this.params) {
      let raw = param.field ? await this.read(param, param.field, msg) : readPath(msg, param.spec.name);
      if (isBlank(raw) && !param.field && param.spec.alsoFrom) raw = readPath(msg, param.spec.alsoFrom);
      if (isBlank(raw) && param.spec.name === 'workspace') raw = defaultWorkspace;
      if (isBlank(raw)) {
        if (param.required) throw this.inputError('errors.missing', param.spec);
        continue;
      }
      values[param.spec.name] = this.check(param.spec, raw);
    }
    this.checkAlternatives(values);
    return values;
  }

  private read(param: PreparedParam, source: Source, msg: NodeMessage): Promise<unknown> | unknown {
    switch (source.from) {
      case 'static':
        return source.value;
      case 'msg':
        try {
          return this.RED.util.getMessageProperty(msg, source.path);
        } catch (err) {
          throw this.evaluationError(param.spec, err);
        }
      case 'broken':
        throw this.inputError('errors.invalid', param.spec, { problem: this.t('errors.problem.evaluate', { reason: source.reason }), got: '' });
      case 'jsonata':
        return new Promise((resolve, reject) => {
          this.RED.util.evaluateJSONataExpression(source.expression as never, msg, (err: unknown, value: unknown) => {
            if (err) reject(this.evaluationError(param.spec, err));
            else resolve(value);
          });
        });
      case 'context':
        return new Promise((resolve, reject) => {
          this.RED.util.evaluateNodeProperty(source.value, source.type, this.node, msg, (err: unknown, value: unknown) => {
            if (err) reject(this.evaluationError(param.spec, err));
            else resolve(value);
          });
        });
    }
  }

  private evaluationError(spec: ParamSpec, err: unknown): CometError {
    return this.inputError('errors.invalid', spec, { problem: this.t('errors.problem.evaluate', { reason: (err as Error)?.message ?? String(err) }), got: '' });
  }

  /** Checks one value against its kind and returns it normalised. */
  private check(spec: ParamSpec, raw: unknown): unknown {
    const fail = (problem: string, vars: Record<string, unknown> = {}): never => {
      throw this.inputError('errors.invalid', spec, { problem: this.t(`errors.problem.${problem}`, vars), got: describe(raw) });
    };
    switch (spec.kind) {
      case 'string':
      case 'enum': {
        if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) return fail('notText');
        const text = String(raw);
        if (text.length > MAX_TEXT) return fail('tooLong', { max: MAX_TEXT });
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f\u007f]/.test(text)) return fail('control');
        if (spec.in === 'path' && /[/\\]|^\.\.?$|\.\./.test(text)) return fail('pathLike');
        if (spec.kind === 'enum' && !spec.values?.includes(text)) return fail('notOneOf', { values: spec.values?.join(', ') });
        return text;
      }
      case 'integer': {
        const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
        if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return fail('notInteger');
        return n;
      }
      case 'boolean': {
        if (typeof raw === 'boolean') return raw;
        if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
        return fail('notBoolean');
      }
      case 'stringList': {
        let list: unknown = raw;
        if (typeof list === 'string') list = list.split(',').map((s) => s.trim()).filter(Boolean);
        // A previous node's whole answer carrying the list under this name, e.g. query project's.
        else if (list && typeof list === 'object' && !Array.isArray(list)) list = (list as Record<string, unknown>)[spec.name];
        if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item === '' || item.length > MAX_TEXT)) return fail('notList');
        if (list.length === 0) throw this.inputError('errors.missing', spec);
        return list;
      }
      case 'jsonArray': {
        let value: unknown = raw;
        if (typeof value === 'string') {
          try {
            value = JSON.parse(value);
          } catch (err) {
            return fail('badJson', { reason: (err as Error).message });
          }
        }
        if (!Array.isArray(value)) return fail('notArray');
        return value;
      }
    }
  }

  private checkAlternatives(values: Values): void {
    const { oneOf, exclusive } = this.endpoint;
    if (oneOf && !oneOf.some((group) => group.every((name) => values[name] !== undefined))) {
      const alternatives = oneOf.map((group) => group.join(' + ')).join(this.t('common.or'));
      throw new CometError(ERROR_CODES.BAD_INPUT, this.t('errors.missingOneOf', { endpoint: this.endpoint.path, alternatives }), {
        endpoint: this.endpoint.path,
      });
    }
    if (exclusive) {
      const given = exclusive.filter((name) => values[name] !== undefined);
      if (given.length > 1) {
        throw new CometError(ERROR_CODES.BAD_INPUT, this.t('errors.exclusive', { endpoint: this.endpoint.path, params: given.join(', ') }), {
          endpoint: this.endpoint.path,
        });
      }
    }
  }

  private inputError(key: string, spec: ParamSpec, vars: Record<string, unknown> = {}): CometError {
    return new CometError(ERROR_CODES.BAD_INPUT, this.t(key, { param: spec.name, label: this.t(`params.${spec.name}`), ...vars }), {
      endpoint: this.endpoint.path,
    });
  }
}

/**
 * The request for checked values: only the first complete one-of group is
 * sent (with the parameters outside every group), path parameters are
 * filled in, the rest go to the query (GET) or the JSON body (POST).
 */
export function buildCall(endpoint: EndpointSpec, values: Values): Call {
  const chosen = endpoint.oneOf?.find((group) => group.every((name) => values[name] !== undefined));
  const left = new Set((endpoint.oneOf ?? []).flat().filter((name) => !chosen?.includes(name)));
  const query: Record<string, string> = {};
  const body: Record<string, unknown> = {};
  const subject: Record<string, unknown> = {};
  let path = endpoint.path;
  for (const spec of endpoint.params) {
    const value = values[spec.name];
    if (value === undefined || left.has(spec.name)) continue;
    if (typeof value === 'string' || typeof value === 'number') subject[spec.name] = value;
    const place = placeOf(spec, endpoint);
    if (place === 'path') path = path.replace(`{${spec.name}}`, encodeURIComponent(String(value)));
    else if (place === 'body') body[wireName(spec)] = value;
    else query[wireName(spec)] = String(value);
  }
  return {
    endpoint: endpoint.path,
    method: endpoint.method,
    path,
    query,
    body: endpoint.method === 'POST' ? body : undefined,
    subject,
  };
}

/** Reads `a.b.c` of a msg without throwing on missing parts. */
function readPath(msg: NodeMessage, path: string): unknown {
  let value: unknown = msg;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** A short, safe description of a bad value for an error message. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `text of ${value.length} characters` : JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
