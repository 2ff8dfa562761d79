/**
 * The metric watch's rules: read from text as people write them (one a
 * line), and judged on what Comet says of one experiment's metrics.
 */
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { cometNumber } from '../text/numbers';

export type Comparison = '>' | '>=' | '<' | '<=';

export type MetricRule =
  /** `<metric> <op> <number>`: on the latest value. */
  | { readonly kind: 'threshold'; readonly text: string; readonly metric: string; readonly op: Comparison; readonly limit: number }
  /** `<metric> not finite`: the latest value is NaN, Infinity or no number. */
  | { readonly kind: 'notFinite'; readonly text: string; readonly metric: string }
  /** `<metric> min|max no better for <N> steps`: the best value is N or more steps behind the latest step. */
  | { readonly kind: 'noBetter'; readonly text: string; readonly metric: string; readonly goal: 'min' | 'max'; readonly steps: number }
  /** `stalled <M> minutes`: no new step of any watched metric for M minutes of a running experiment. */
  | { readonly kind: 'stalled'; readonly text: string; readonly minutes: number };

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?`;
/** A metric's name: anything, but not ending in a space or a comparison sign (`loss >> 2` is no rule). */
const THRESHOLD = new RegExp(String.raw`^(.*?[^\s<>=])\s*(>=|<=|>|<)\s*(${NUMBER})$`, 'i');
const NOT_FINITE = /^(.+?)\s+not\s+finite$/i;
const NO_BETTER = /^(.+?)\s+(min|max)\s+no\s+better\s+for\s+(\d+)\s+steps?$/i;
const STALLED = new RegExp(String.raw`^stalled\s+(${NUMBER})\s+minutes?$`, 'i');

/** One rule from its line (trimmed, not blank); undefined when it is none of the forms. */
function ruleOf(text: string): MetricRule | undefined {
  let m = STALLED.exec(text);
  if (m) {
    const minutes = Number(m[1]);
    return minutes > 0 ? { kind: 'stalled', text, minutes } : undefined;
  }
  m = NO_BETTER.exec(text);
  if (m) {
    const steps = Number(m[3]);
    return steps > 0 ? { kind: 'noBetter', text, metric: m[1], goal: m[2].toLowerCase() as 'min' | 'max', steps } : undefined;
  }
  m = NOT_FINITE.exec(text);
  if (m) return { kind: 'notFinite', text, metric: m[1] };
  m = THRESHOLD.exec(text);
  if (m) return { kind: 'threshold', text, metric: m[1], op: m[2] as Comparison, limit: Number(m[3]) };
  return undefined;
}

/**
 * The rules of `value`: text of one rule a line, or an array of such texts.
 * Blank lines are skipped; a line that is no rule, or no rule at all, is a
 * bad input that names the line and shows the forms.
 */
export function parseRules(value: unknown, own: Translate): MetricRule[] {
  const lines = (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\r?\n/) : []).map((line) => line.trim()).filter(Boolean);
  const rules: MetricRule[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const rule = ruleOf(line);
    if (!rule) throw CometError.badInput(own('errors.rule', { rule: line }));
    // The same rule twice would alert twice.
    if (!seen.has(rule.text)) rules.push(rule);
    seen.add(rule.text);
  }
  if (!rules.length) throw CometError.badInput(own('errors.noRules'));
  return rules;
}

/** The metric names the rules read (stalled reads them all). */
export function metricsOf(rules: readonly MetricRule[]): string[] {
  return [...new Set(rules.flatMap((rule) => (rule.kind === 'stalled' ? [] : [rule.metric])))];
}

/** One metric of one experiment, as the watch knows it after a poll. */
export interface MetricTrack {
  /** The latest value as Comet gave it: a number (NaN and Infinity too), or what it gave that is none. */
  readonly value: number | string | null;
  readonly step: number;
  /** When the latest value was logged (ms). */
  readonly at: number;
  /** The best finite values, lowest and highest, each with its step (the first step it was reached at); undefined: none finite. */
  readonly min?: { readonly value: number; readonly step: number };
  readonly max?: { readonly value: number; readonly step: number };
  /** The answer may have left values out between its points (as many as a sampled answer holds): its bests may not be Comet's. */
  readonly sampled: boolean;
  /** The points of the answer, oldest first, for the step a rule began to hold at. */
  readonly points: readonly { readonly step: number; readonly value: number | string | null }[];
}

/** An experiment as the rules see it. */
export interface Observed {
  readonly running: boolean;
  /** The experiment's last heartbeat (ms; the list's end time while it runs), else its start. */
  readonly heartbeat: number | null;
  readonly startTimeMillis: number | null;
  readonly metrics: ReadonlyMap<string, MetricTrack>;
}

/** A rule that holds: what the msg tells, and the step its occurrence began at (which names it in the eventId). */
export interface Holding {
  readonly metricName: string | null;
  readonly value: number | string | null;
  readonly step: number | null;
  readonly onset: number;
  /**
   * The last step of the answer at which the rule did not hold (threshold,
   * not finite); undefined: none. An occurrence seen before goes on unless
   * the rule failed after it began: a sampled answer's onset moves with its
   * samples.
   */
  readonly brokenAt?: number;
  readonly best?: { readonly value: number; readonly step: number };
  readonly since?: number;
}

const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

/** The step of the first point of the run of points, up to the latest, for which `holds` is true, and of the point before it. */
function onsetOf(track: MetricTrack, holds: (value: number) => boolean): { onset: number; brokenAt?: number } {
  let i = track.points.length - 1;
  while (i > 0 && holds(cometNumber(track.points[i - 1].value))) i--;
  return i > 0 ? { onset: track.points[i].step, brokenAt: track.points[i - 1].step } : { onset: track.points[0]?.step ?? track.step };
}

/** Whether `rule` holds for the experiment now, and how; undefined when it does not (or cannot be told). */
export function judge(rule: MetricRule, seen: Observed): Holding | undefined {
  if (rule.kind === 'stalled') return stalled(rule.minutes, seen);
  const track = seen.metrics.get(rule.metric);
  if (!track) return undefined;
  const latest = { metricName: rule.metric, value: track.value, step: track.step };
  const value = cometNumber(track.value);
  switch (rule.kind) {
    case 'threshold': {
      const holds = (v: number): boolean => COMPARE[rule.op](v, rule.limit);
      return holds(value) ? { ...latest, ...onsetOf(track, holds) } : undefined;
    }
    case 'notFinite': {
      const holds = (v: number): boolean => !Number.isFinite(v);
      return holds(value) ? { ...latest, ...onsetOf(track, holds) } : undefined;
    }
    case 'noBetter': {
      const best = track[rule.goal];
      // The occurrence is named by its best: a better value starts another.
      return best && track.step - best.step >= rule.steps ? { ...latest, best, onset: best.step } : undefined;
    }
  }
}

/** The latest of the watched metrics; the stall is named by its step. */
function stalled(minutes: number, seen: Observed): Holding | undefined {
  if (!seen.running || seen.heartbeat === null) return undefined;
  let last: [string, MetricTrack] | undefined;
  for (const entry of seen.metrics) if (Number.isFinite(entry[1].at) && (!last || entry[1].at > last[1].at)) last = entry;
  const since = last ? last[1].at : seen.startTimeMillis;
  if (since === null || seen.heartbeat - since < minutes * 60_000) return undefined;
  return last ? { metricName: last[0], value: last[1].value, step: last[1].step, onset: last[1].step, since } : { metricName: null, value: null, step: null, onset: 0, since };
}
