/**
 * A filter's text as an expression tree, read by jsep (a small, well-kept
 * expression parser) set up for the words of Comet's Python SDK queries:
 * `and`, `or`, `not` beside `&&`, `||`, `!`, and Python's None/True/False.
 */
import jsep from 'jsep';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';

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
  try {
    return jsep(text);
  } catch (err) {
    const { description, index } = err as { description?: string; index?: number };
    const reason = description ?? (err as Error).message;
    throw CometError.badInput(t('filter.syntax', { reason, at: typeof index === 'number' ? index + 1 : '?', text }), { endpoint: 'filter' });
  }
}
