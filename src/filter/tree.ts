/**
 * Reading jsep's expression tree of a filter: what a node is (a column
 * reference, a literal value) and how it was written, for messages.
 */
import type jsep from 'jsep';
import type { Expression } from './parse';

/** A part of the filter as it was written, for messages. */
export function writtenOf(node: Expression): string {
  switch (node.type) {
    case 'Literal':
      return (node as jsep.Literal).raw;
    case 'Identifier':
      return (node as jsep.Identifier).name;
    case 'MemberExpression': {
      const m = node as jsep.MemberExpression;
      return m.computed ? `${writtenOf(m.object)}[${writtenOf(m.property)}]` : `${writtenOf(m.object)}.${writtenOf(m.property)}`;
    }
    case 'CallExpression': {
      const c = node as jsep.CallExpression;
      return `${writtenOf(c.callee)}(${c.arguments.map((a) => writtenOf(a)).join(', ')})`;
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      return /\w$/.test(u.operator) ? `${u.operator} ${writtenOf(u.argument)}` : `${u.operator}${writtenOf(u.argument)}`;
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      return `${writtenOf(b.left)} ${b.operator} ${writtenOf(b.right)}`;
    }
    default:
      return node.type;
  }
}

export function isReference(node: Expression): boolean {
  return node.type === 'Identifier' || node.type === 'MemberExpression';
}

/**
 * `metric.lr` -> { prefix: 'metric', name: 'lr' }; `train.loss` (no source
 * prefix) -> { name: 'train.loss' }; undefined when `node` names no column.
 */
export function referenceOf(node: Expression, prefixes: Readonly<Record<string, string>>): { prefix?: string; name: string } | undefined {
  if (node.type === 'Identifier') return { name: (node as jsep.Identifier).name };
  if (node.type === 'MemberExpression') {
    const { object, property, computed } = node as jsep.MemberExpression;
    const key = computed ? (property.type === 'Literal' ? (property as jsep.Literal).value : undefined) : (property as jsep.Identifier).name;
    if (typeof key === 'string' && object.type === 'Identifier' && Object.hasOwn(prefixes, (object as jsep.Identifier).name)) {
      return { prefix: (object as jsep.Identifier).name, name: key };
    }
    // A dotted name without a source: a column whose name holds dots.
    const start = !computed && typeof key === 'string' ? referenceOf(object, prefixes) : undefined;
    if (start) return { name: `${start.name}.${key}` };
  }
  return undefined;
}

/** A literal's value (a number may carry a sign); undefined for anything else. */
export function literalOf(node: Expression): unknown {
  if (node.type === 'Literal') {
    const value = (node as jsep.Literal).value;
    return value instanceof RegExp ? undefined : value;
  }
  if (node.type === 'UnaryExpression') {
    const { operator, argument } = node as jsep.UnaryExpression;
    const value = literalOf(argument);
    if (typeof value === 'number' && (operator === '-' || operator === '+')) return operator === '-' ? -value : value;
  }
  return undefined;
}

