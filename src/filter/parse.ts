/**
 * A filter's text as an expression tree, read by jsep (a small, well-kept
 * expression parser) set up for the words of Comet's Python SDK queries:
 * `and`, `or`, `not` beside `&&`, `||`, `!`, and Python's None/True/False.
 */
import jsep from 'jsep';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { writtenOf } from './tree';

export type Expression = jsep.Expression;

// jsep is set up once per process; the ops match Python's precedence (or < and < comparisons).
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
jsep.addUnaryOp('not');
jsep.addLiteral('None', null);
jsep.addLiteral('True', true);
jsep.addLiteral('False', false);

/** The filter's expression tree; a syntax error becomes a BAD_INPUT naming where it is. */
export function parseFilter(text: string, t: Translate): Expression {
  let tree: Expression;
  try {
    tree = jsep(text);
  } catch (err) {
    const { description, index } = err as { description?: string; index?: number };
    const reason = description ?? (err as Error).message;
    throw CometError.badInput(t('filter.syntax', { reason, at: typeof index === 'number' ? index + 1 : '?', text }), { endpoint: 'filter' });
  }
  if (tree.type !== 'Compound') return tree;
  const { body } = tree as jsep.Compound;
  // Blank (or only parentheses): jsep reads nothing at all.
  if (body.length === 0) throw CometError.badInput(t('filter.empty'), { endpoint: 'filter' });
  if (body.length === 1) return body[0];
  throw sideBySide(body, t);
}

/** Two expressions with nothing joining them; a dangling and/or/not is read as a name. */
function sideBySide(body: readonly Expression[], t: Translate): CometError {
  const word = body.find((part) => part.type === 'Identifier' && ['and', 'or', 'not'].includes((part as jsep.Identifier).name));
  if (word) return CometError.badInput(t('filter.dangling', { word: writtenOf(word) }), { endpoint: 'filter' });
  return CometError.badInput(t('filter.missingJoin', { left: writtenOf(body[0]), right: writtenOf(body[1]) }), { endpoint: 'filter' });
}
