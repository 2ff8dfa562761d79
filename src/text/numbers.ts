/** What a number setting may be. */
export interface NumberRule {
  /** The smallest value allowed. */
  readonly min?: number;
  /** The value must be greater than this (0: positive). */
  readonly above?: number;
  readonly integer?: boolean;
  /** Suffixes a text value may carry (`256M`), with what they multiply by; the result is rounded down. */
  readonly units?: Readonly<Record<string, number>>;
  /** A value that breaks the rule gives the fallback too: for tuning fields, where a typo should not stop a flow. */
  readonly lenient?: boolean;
}

/**
 * A number setting as the editor or settings.js saves it, read the same way
 * everywhere: blank (undefined, null, '') is `fallback`; a number, or text
 * of one, that keeps the rule is that number; anything else is NaN, for the
 * caller to reject in its own words (or the fallback, when `lenient`).
 */
export function numberSetting<F extends number | undefined>(value: unknown, fallback: F, rule: NumberRule = {}): number | F {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? fromText(value, rule.units) : Number.NaN;
  if (keeps(n, rule)) return n;
  return rule.lenient ? fallback : Number.NaN;
}

function fromText(text: string, units: NumberRule['units']): number {
  if (!text.trim()) return Number.NaN;
  if (!units) return Number(text);
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? units[match[2].toLowerCase()] : undefined;
  return match && unit ? Math.floor(Number(match[1]) * unit) : Number.NaN;
}

function keeps(n: number, rule: NumberRule): boolean {
  if (!Number.isFinite(n)) return false;
  if (rule.integer && !Number.isSafeInteger(n)) return false;
  if (rule.min !== undefined && n < rule.min) return false;
  return rule.above === undefined || n > rule.above;
}

/**
 * A value as Comet gives it: its chart answers give numbers, its other
 * answers (get-metric, summaries) text of one; NaN where it is neither. NaN
 * and Infinity as Comet logged them stay what they are.
 */
export function cometNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** cometNumber's value when it is finite; undefined for anything else (no value to plot or sum). */
export function finiteNumber(value: unknown): number | undefined {
  const n = cometNumber(value);
  return Number.isFinite(n) ? n : undefined;
}
