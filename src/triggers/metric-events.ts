/**
 * The metric watch's events: which rules of one experiment started or
 * stopped holding between two polls, and each as the msg payload the
 * contract gives.
 */
import type { ProjectRef } from './experiment-events';
import { judge, type Holding, type MetricRule, type MetricTrack, type Observed } from './metric-rules';

export type MetricEventKind = 'metric-alert' | 'metric-resolved';

/** msg.payload of an alert, as the contract shapes it (best and since where the rule has them). */
export interface MetricEvent extends ProjectRef {
  readonly event: MetricEventKind;
  readonly rule: string;
  readonly metricName: string | null;
  readonly value: number | string | null;
  readonly step: number | null;
  readonly experimentKey: string;
  readonly experimentName: string | null;
  /** `min`/`max` no better: the best value and its step. */
  readonly best?: { readonly value: number; readonly step: number };
  /** stalled: when the latest value was logged (ms). */
  readonly since?: number;
  readonly detectedAt: string;
}

/** A rule of one experiment that began to hold (alert) or stopped (resolved), and the step its occurrence began at. */
export interface RuleChange {
  readonly kind: MetricEventKind;
  readonly rule: MetricRule;
  readonly onset: number;
  /** How it holds, for an alert. */
  readonly found?: Holding;
}

/**
 * What the rules do on one experiment: those that hold now, each with the
 * step its occurrence began at (`before`: the same of the last poll), and
 * the changes since. A rule that holds since the same step is the same
 * occurrence: no change. One that held and holds again since another step
 * is a resolution (when `sendResolved`) and a new alert.
 */
export function ruleChanges(
  rules: readonly MetricRule[],
  observed: Observed,
  before: ReadonlyMap<string, number> | undefined,
  sendResolved: boolean,
): { holding: Map<string, number>; changes: RuleChange[] } {
  const holding = new Map<string, number>();
  const changes: RuleChange[] = [];
  for (const rule of rules) {
    const judged = judge(rule, observed);
    const was = before?.get(rule.text);
    // A threshold held at the last poll and not broken since is the same occurrence, whatever step a sampled answer now shows it began at.
    const goesOn = judged && was !== undefined && (rule.kind === 'threshold' || rule.kind === 'notFinite') && !(judged.brokenAt !== undefined && judged.brokenAt > was);
    const found = goesOn ? { ...judged, onset: was } : judged;
    if (found) holding.set(rule.text, found.onset);
    if (found && was === found.onset) continue;
    if (was !== undefined && sendResolved) changes.push({ kind: 'metric-resolved', rule, onset: was });
    if (found) changes.push({ kind: 'metric-alert', rule, onset: found.onset, found });
  }
  return { holding, changes };
}

/** A change as msg.payload: the rule's metric and its latest value and step (for an alert, as the rule found them). */
export function metricEvent(
  { kind, rule, found }: RuleChange,
  seen: ProjectRef & { readonly experimentKey: string; readonly experimentName: string | null },
  metrics: ReadonlyMap<string, MetricTrack>,
  detectedAt: string,
): MetricEvent {
  const track = rule.kind === 'stalled' ? undefined : metrics.get(rule.metric);
  return {
    event: kind,
    rule: rule.text,
    metricName: found ? found.metricName : rule.kind === 'stalled' ? null : rule.metric,
    value: found ? found.value : (track?.value ?? null),
    step: found ? found.step : (track?.step ?? null),
    experimentKey: seen.experimentKey,
    experimentName: seen.experimentName,
    workspace: seen.workspace,
    projectId: seen.projectId,
    projectName: seen.projectName,
    ...(found?.best && { best: found.best }),
    ...(found?.since !== undefined && { since: found.since }),
    detectedAt,
  };
}
