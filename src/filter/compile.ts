/**
 * A filter's expression tree compiled into the predicates of Comet's
 * `project/query`, exactly as Comet's Python SDK builds them (one entry per
 * source, rules of a source under one AND, each rule typed by the project's
 * columns), and `or`, which the SDK refuses, as one query per branch: the
 * tree is put in disjunctive normal form, `not` pushed down to the negated
 * operators on the way (De Morgan over and/or).
 */
import type jsep from 'jsep';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { nearest } from './nearest';
import type { Expression } from './parse';
import { isReference, literalOf, referenceOf, writtenOf } from './tree';

/** One column of `project/column-names`. */
export interface Column {
  readonly name: string;
  readonly type: string;
  readonly source: string;
}

/** A predicate rule as the SDK builds it. */
export interface Rule {
  readonly id: string;
  readonly field: string;
  readonly type: string;
  readonly operator: string;
  readonly value: unknown;
}

/** One source's rules, as `project/query` takes them. */
export interface Predicate {
  readonly source: string;
  readonly query: { readonly condition: 'AND'; readonly rules: Rule[]; readonly valid: true };
}

/** The requests of one filter: one list of predicates per `or` branch. */
export type Queries = Predicate[][];

/** A filter asks at most this many queries (branches of its `or`s, after `not` and parentheses are worked out). */
export const MAX_QUERIES = 10;

/** How a column's source is written before its name: `metric.lr`, `param["learning rate"]`. */
const SOURCE_PREFIXES: Readonly<Record<string, string>> = {
  metric: 'metrics',
  param: 'params',
  other: 'log_other',
  metadata: 'metadata',
  env: 'env_details',
};
export const PREFIX_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SOURCE_PREFIXES).map(([prefix, source]) => [source, prefix]));

const COMPARISONS: Readonly<Record<string, string>> = {
  '==': 'equal',
  '===': 'equal',
  '!=': 'not_equal',
  '!==': 'not_equal',
  '<': 'less',
  '<=': 'less_or_equal',
  '>': 'greater',
  '>=': 'greater_or_equal',
};
/** The operator read the other way round: `0.8 < accuracy` is `accuracy > 0.8`. */
const FLIPPED: Readonly<Record<string, string>> = { less: 'greater', less_or_equal: 'greater_or_equal', greater: 'less', greater_or_equal: 'less_or_equal' };
/** What `not` makes of each operator, as the SDK's `~` does (both ways: see below). */
const NEGATED: Record<string, string> = {
  equal: 'not_equal',
  less: 'greater_or_equal',
  greater: 'less_or_equal',
  between: 'not_between',
  contains: 'not_contains',
  begins_with: 'not_begins_with',
  ends_with: 'not_ends_with',
  is_null: 'is_not_null',
  is_empty: 'is_not_empty',
};
for (const [op, negated] of Object.entries(NEGATED)) NEGATED[negated] = op;
/** `column.method(...)`: the SDK's methods, by the name written. */
const METHODS: Readonly<Record<string, string>> = {
  contains: 'contains',
  startswith: 'begins_with',
  endswith: 'ends_with',
  between: 'between',
};
const TEXT_ONLY = new Set(['contains', 'not_contains', 'begins_with', 'not_begins_with', 'ends_with', 'not_ends_with']);
export const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** One rule and its source: a conjunction is a list of these. */
interface Atom {
  readonly source: string;
  readonly rule: Rule;
}
type Branches = Atom[][];

/** `metric.lr`, `param["learning rate"]`: a column as the filter writes it with its source. */
export function writtenWithSource(column: Column): string {
  const prefix = PREFIX_OF[column.source] ?? column.source;
  return IDENTIFIER.test(column.name) ? `${prefix}.${column.name}` : `${prefix}[${JSON.stringify(column.name)}]`;
}

class Compiler {
  /** Columns that a bare name can mean: every source's but the tags (`tag("x")` asks for those). */
  private readonly named: readonly Column[];

  constructor(
    private readonly columns: readonly Column[],
    private readonly t: Translate,
  ) {
    this.named = columns.filter((c) => c.source !== 'tag');
  }

  fail(key: string, vars: Record<string, unknown> = {}): never {
    throw CometError.badInput(this.t(`filter.${key}`, vars), { endpoint: 'filter' });
  }

  /** `accuracy (metric)` */
  label(column: Column): string {
    return `${column.name} (${this.t(`filter.source.${column.source}`)})`;
  }

  list(items: readonly string[], word: 'and' | 'or'): string {
    if (items.length < 2) return items.join('');
    return `${items.slice(0, -1).join(', ')} ${this.t(`filter.${word}`)} ${items[items.length - 1]}`;
  }

  /** The branches of `node` (negated: of its `not`), each a conjunction of rules. */
  branches(node: Expression, negated: boolean): Branches {
    switch (node.type) {
      case 'BinaryExpression': {
        const { operator, left, right } = node as jsep.BinaryExpression;
        const and = operator === 'and' || operator === '&&';
        if (and || operator === 'or' || operator === '||') {
          const l = this.branches(left, negated);
          const r = this.branches(right, negated);
          // not (a and b) = not a or not b; not (a or b) = not a and not b.
          return and !== negated ? this.product(l, r) : [...l, ...r];
        }
        if (COMPARISONS[operator]) return [[this.comparison(node as jsep.BinaryExpression, negated)]];
        return this.fail('unknownOperator', { operator, operators: '==, !=, <, <=, >, >=, and, or, not' });
      }
      case 'UnaryExpression': {
        const { operator, argument } = node as jsep.UnaryExpression;
        if (operator === 'not' || operator === '!') return this.branches(argument, !negated);
        return this.fail('notCondition', { what: writtenOf(node) });
      }
      case 'CallExpression':
        return [[this.call(node as jsep.CallExpression, negated)]];
      case 'Identifier':
      case 'MemberExpression':
        return this.fail('bareColumn', { what: writtenOf(node) });
      default:
        return this.fail('notCondition', { what: writtenOf(node) });
    }
  }

  /** Every conjunction of a left branch with a right one: `(a or b) and c` is `a and c or b and c`. */
  product(left: Branches, right: Branches): Branches {
    if (left.length * right.length > MAX_QUERIES) this.fail('tooManyQueries', { count: left.length * right.length, max: MAX_QUERIES });
    return left.flatMap((l) => right.map((r) => [...l, ...r]));
  }

  comparison(node: jsep.BinaryExpression, negated: boolean): Atom {
    // jsep binds `not` tighter than `>`; in Python, as here, `not a > 1` is `not (a > 1)`.
    if (node.left.type === 'UnaryExpression' && ['not', '!'].includes((node.left as jsep.UnaryExpression).operator)) {
      return this.comparison({ ...node, left: (node.left as jsep.UnaryExpression).argument }, !negated);
    }
    let operator = COMPARISONS[node.operator];
    let columnSide = node.left;
    let valueSide = node.right;
    if (!isReference(node.left) && isReference(node.right)) {
      [columnSide, valueSide] = [node.right, node.left];
      operator = FLIPPED[operator] ?? operator;
    }
    const written = `${writtenOf(node.left)} ${node.operator} ${writtenOf(node.right)}`;
    const call = [node.left, node.right].find((side) => side.type === 'CallExpression');
    // A method is a condition of its own (or no method at all): it is not compared with a value.
    if (call) this.fail('comparedCall', { written, call: writtenOf(call) });
    if (!isReference(columnSide)) this.fail('noColumn', { written });
    const column = this.column(columnSide);
    if (isReference(valueSide)) this.fail('textInQuotes', { written, value: writtenOf(valueSide) });
    const value = literalOf(valueSide);
    if (value === undefined) this.fail('notValue', { written, value: writtenOf(valueSide) });
    let rule: { operator: string; value: unknown };
    if (operator === 'equal' || operator === 'not_equal') rule = equality(operator, value as unknown);
    else if (typeof value === 'number' || typeof value === 'string') rule = { operator, value };
    else rule = this.fail('orderedValue', { written });
    return this.atom(column, rule.operator, rule.value, negated);
  }

  call(node: jsep.CallExpression, negated: boolean): Atom {
    const { callee } = node;
    const args = node.arguments;
    if (callee.type === 'Identifier' && (callee as jsep.Identifier).name.toLowerCase() === 'tag') {
      const name = args.length === 1 ? literalOf(args[0]) : undefined;
      if (typeof name !== 'string' || !name) this.fail('tagArgument', { written: writtenOf(node) });
      if (negated) this.fail('notTag', { written: writtenOf(node) });
      return { source: 'tag', rule: { id: name, field: name, type: 'string', operator: 'equal', value: name } };
    }
    const method = callee.type === 'MemberExpression' && !(callee as jsep.MemberExpression).computed ? (callee as jsep.MemberExpression).property : undefined;
    const name = method?.type === 'Identifier' ? (method as jsep.Identifier).name : '';
    const operator = METHODS[name.toLowerCase()];
    if (!operator) this.fail('unknownFunction', { written: writtenOf(callee), functions: 'tag("name"), .contains("x"), .startswith("x"), .endswith("x"), .between(low, high)' });
    const column = this.column((callee as jsep.MemberExpression).object);
    const values = args.map(literalOf);
    if (operator === 'between') {
      if (values.length !== 2 || values.some((v) => typeof v !== 'number')) this.fail('between', { written: writtenOf(node) });
      return this.atom(column, operator, values.map(String), negated);
    }
    if (values.length !== 1 || typeof values[0] !== 'string') this.fail('textArgument', { method: name, written: writtenOf(node) });
    return this.atom(column, operator, values[0], negated);
  }

  /** The rule on `column`, negated as `not` asks, checked against the column's type as the SDK checks it. */
  atom(column: Column, op: string, value: unknown, negated: boolean): Atom {
    const operator = negated ? NEGATED[op] : op;
    if (TEXT_ONLY.has(operator) && column.type !== 'string') this.fail('textColumn', { column: this.label(column), type: column.type });
    if ((operator === 'between' || operator === 'not_between') && column.type === 'string') this.fail('numberColumn', { column: this.label(column) });
    return { source: column.source, rule: { id: column.name, field: column.name, type: column.type, operator, value } };
  }

  /** The column a reference names: bare (one source has it), or with its source. */
  column(node: Expression): Column {
    const reference = referenceOf(node, SOURCE_PREFIXES);
    if (!reference) return this.fail('notColumn', { written: writtenOf(node) });
    const { prefix, name } = reference;
    if (prefix) {
      const source = SOURCE_PREFIXES[prefix];
      const found = this.columns.find((c) => c.source === source && c.name === name);
      if (!found) this.fail('unknownInSource', { kind: this.t(`filter.source.${source}`), name, nearest: this.nearest(name) });
      return found as Column;
    }
    const found = this.named.filter((c) => c.name === name);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      return this.fail('ambiguous', {
        name,
        kinds: this.list(found.map((c) => this.t(`filter.kind.${c.source}`)), 'and'),
        choices: this.list(found.map(writtenWithSource), 'or'),
      });
    }
    return this.fail('unknownColumn', { name, nearest: this.nearest(name) });
  }

  nearest(name: string): string {
    const names = nearest(name, this.named, (c) => c.name).map((c) => this.label(c));
    return names.length ? this.t('filter.didYouMean', { names: this.list(names, 'or') }) : this.t('filter.noColumns');
  }
}

/** `== None` is is_null, `== ""` is is_empty (value None), `== True` is `equal 1`: as the SDK's `__eq__`/`__ne__`. */
function equality(operator: string, value: unknown): { operator: string; value: unknown } {
  const equal = operator === 'equal';
  if (value === null) return { operator: equal ? 'is_null' : 'is_not_null', value: null };
  if (value === '') return { operator: equal ? 'is_empty' : 'is_not_empty', value: null };
  if (typeof value === 'boolean') return { operator, value: value ? 1 : 0 };
  return { operator, value };
}

/** A conjunction's predicates: one entry per source, in the order the sources first appear, as the SDK's `&` merges them. */
function predicatesOf(atoms: readonly Atom[]): Predicate[] {
  const bySource = new Map<string, Rule[]>();
  for (const { source, rule } of atoms) {
    const rules = bySource.get(source);
    if (rules) rules.push(rule);
    else bySource.set(source, [rule]);
  }
  return [...bySource].map(([source, rules]) => ({ source, query: { condition: 'AND', rules, valid: true } }));
}

/**
 * The queries of a filter: one predicates list per branch of its `or`s (one
 * for a filter without `or`), each branch once. Throws a BAD_INPUT naming
 * what is wrong (an unknown column with the nearest names, a column two
 * sources have, a method on the wrong type) before anything is sent.
 */
export function compileFilter(tree: Expression, columns: readonly Column[], t: Translate): Queries {
  const seen = new Set<string>();
  const queries: Queries = [];
  for (const branch of new Compiler(columns, t).branches(tree, false)) {
    const predicates = predicatesOf(branch);
    const key = JSON.stringify(predicates);
    if (!seen.has(key)) {
      seen.add(key);
      queries.push(predicates);
    }
  }
  if (queries.length > MAX_QUERIES) throw CometError.badInput(t('filter.tooManyQueries', { count: queries.length, max: MAX_QUERIES }), { endpoint: 'filter' });
  return queries;
}
