import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { Translate } from './client/translate';
import { watchedProject, type ProjectFields } from './node-red/params';
import { registerWatchNode, type WatchNodeConfig } from './node-red/watch-node';
import { parseRules, type MetricRule } from './triggers/metric-rules';
import { MetricWatch, type MetricPollOutcome } from './triggers/metric-watch';

/** The rules msgs brought to each node whose own field is blank. */
const rulesOfMsgs = new WeakMap<Node, readonly MetricRule[]>();

interface MetricWatchConfig extends NodeDef, WatchNodeConfig, ProjectFields {
  /** Keys separated by commas, spaces or lines; blank: the project's running experiments. */
  experimentKeys?: string;
  /** One rule a line; blank: msg.rules. */
  rules?: string;
  sendResolved?: boolean | string;
}

function summaryOf({ events, first, watched, holding, project }: MetricPollOutcome, own: Translate): string {
  const time = new Date().toLocaleTimeString();
  if (!project) return own('status.noRules');
  if (events.length) return own('status.alerts', { count: events.length, time });
  if (first) return own('status.watching', { count: watched, project: project.projectName });
  return holding ? own('status.holding', { count: holding, time }) : own('status.quiet', { count: watched, time });
}

/** Watches the metrics of a project's running experiments (triggers/metric-watch.ts) and sends each rule that starts (or stops) to hold as a msg. */
export = (RED: NodeAPI): void =>
  registerWatchNode<MetricWatchConfig, MetricPollOutcome>(RED, {
    type: 'comet-metric-watch',
    memoryKey: 'cometMetricWatch',
    async create({ node, config, configNode, memory, emitInitial, t, own }) {
      const project = await watchedProject(RED, node, config, configNode.workspace, t);
      const keys = (config.experimentKeys ?? '').split(/[\s,]+/).filter(Boolean);
      return new MetricWatch({
        client: configNode.client(),
        project,
        experimentKeys: keys.length ? keys : undefined,
        rules: config.rules?.trim() ? parseRules(config.rules, own) : (rulesOfMsgs.get(node) ?? []),
        rulesFromMsg: !config.rules?.trim(),
        emitInitial,
        sendResolved: config.sendResolved === true || config.sendResolved === 'true',
        store: memory,
        t: own,
      });
    },
    summaryOf,
    errorTopic: (config) => config.projectName || config.projectId || '',
    receive(watch, msg, own, node) {
      // The node's own rules win; a blank field takes msg.rules, kept (for a watch made anew too) until a msg brings others.
      const { rules } = msg as { rules?: unknown };
      if (!(watch instanceof MetricWatch) || !watch.options.rulesFromMsg || rules === undefined) return;
      const parsed = parseRules(rules, own);
      rulesOfMsgs.set(node, parsed);
      watch.setRules(parsed);
    },
  });
