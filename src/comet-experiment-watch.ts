import type { NodeAPI, NodeDef } from 'node-red';
import type { Translate } from './client/translate';
import { watchedProject, type ProjectFields } from './node-red/params';
import { registerWatchNode, type WatchNodeConfig } from './node-red/watch-node';
import { ExperimentWatch, type ExperimentPollOutcome } from './triggers/experiment-watch';

interface ExperimentWatchConfig extends NodeDef, WatchNodeConfig, ProjectFields {}

function summaryOf({ events, first, experiments, project }: ExperimentPollOutcome, own: Translate): string {
  const time = new Date().toLocaleTimeString();
  if (events.length) return own('status.changes', { count: events.length, time });
  if (!first) return own('status.unchanged', { time });
  return own('status.watching', { count: experiments, project: project.projectName });
}

/** Watches a project's experiments (triggers/experiment-watch.ts) and sends each run created, ended or gone as a msg. */
export = (RED: NodeAPI): void =>
  registerWatchNode<ExperimentWatchConfig, ExperimentPollOutcome>(RED, {
    type: 'comet-experiment-watch',
    memoryKey: 'cometExperimentWatch',
    async create({ node, config, configNode, memory, emitInitial, t, own }) {
      const project = await watchedProject(RED, node, config, configNode.workspace, t);
      return new ExperimentWatch({ client: configNode.client(), project, emitInitial, store: memory, t: own });
    },
    summaryOf,
    noticeOf: (outcome, own) => (outcome.tellsRunState ? undefined : { log: own('notice.noRunState.log'), status: own('notice.noRunState.status') }),
    errorTopic: (config) => config.projectName || config.projectId || '',
  });
