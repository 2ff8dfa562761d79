import type { Node, NodeAPI, NodeMessage } from 'node-red';
import type { Values } from '../catalogue/call';
import { CATALOGUE } from '../catalogue/catalogue';
import { checkAlternatives, checkValue, inputError } from '../catalogue/check';
import type { ParamSet, ParamSpec } from '../catalogue/spec';
import type { CometError } from '../client/errors';
import type { Translate } from '../client/translate';

/** The node's config as saved in the flow: each parameter and its TypedInput type. */
export type NodeConfig = Record<string, unknown>;

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
    readonly endpoint: ParamSet,
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

  /**
   * The checked values of `msg`; throws a BAD_INPUT CometError naming the
   * parameter. Parameters are read and checked one after the other; the
   * values come at once (no promise) unless a field needs one (JSONata, a
   * context store), from which point on the rest waits for it.
   */
  resolve(msg: NodeMessage, defaultWorkspace: string | undefined): Values | Promise<Values> {
    return this.resolveFrom(0, {}, msg, defaultWorkspace);
  }

  private resolveFrom(start: number, values: Values, msg: NodeMessage, defaultWorkspace: string | undefined): Values | Promise<Values> {
    for (let i = start; i < this.params.length; i++) {
      const param = this.params[i];
      if (!param.field) {
        this.take(param, readPath(msg, param.spec.name), values, msg, defaultWorkspace);
        continue;
      }
      const raw = this.read(param, param.field, msg);
      if (isThenable(raw)) {
        return Promise.resolve(raw).then((value) => {
          this.take(param, value, values, msg, defaultWorkspace);
          return this.resolveFrom(i + 1, values, msg, defaultWorkspace);
        });
      }
      this.take(param, raw, values, msg, defaultWorkspace);
    }
    checkAlternatives(this.t, this.endpoint, values);
    return values;
  }

  /** Checks one parameter's value (a blank field's from msg, workspace's from the config) into `values`. */
  private take(param: PreparedParam, value: unknown, values: Values, msg: NodeMessage, defaultWorkspace: string | undefined): void {
    let raw = value;
    if (isBlank(raw) && !param.field && param.spec.alsoFrom) raw = readPath(msg, param.spec.alsoFrom);
    if (isBlank(raw) && param.spec.name === 'workspace') raw = defaultWorkspace;
    if (isBlank(raw)) {
      if (param.required) throw this.inputError('errors.missing', param.spec);
      return;
    }
    values[param.spec.name] = checkValue(this.t, this.endpoint, param.spec, raw);
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

  private inputError(key: string, spec: ParamSpec, vars: Record<string, unknown> = {}): CometError {
    return inputError(this.t, this.endpoint, key, spec, vars);
  }
}

/** Reads `a.b.c` of a msg without throwing on missing parts. */
function readPath(msg: NodeMessage, path: string): unknown {
  if (!path.includes('.')) return (msg as Record<string, unknown>)[path];
  let value: unknown = msg;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** What `await` would wait for: a field read from msg may hold a promise, as it may hold anything. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The fields a project watch names its project by. */
export interface ProjectFields {
  workspace?: string;
  projectName?: string;
  projectId?: string;
}

/**
 * The project a watch node names (the experiment and metric watches):
 * projectId, or projectName and workspace (blank: the config node's), read
 * and checked as the experiment list's parameters are.
 */
export function watchedProject(RED: NodeAPI, node: Node, config: ProjectFields, defaultWorkspace: string | undefined, t: Translate): Values | Promise<Values> {
  const fields = { workspace: config.workspace, projectName: config.projectName, projectId: config.projectId };
  return new ParamResolver(RED, node, fields, CATALOGUE['comet-query-project'].operations.experiments, t).resolve({}, defaultWorkspace);
}
