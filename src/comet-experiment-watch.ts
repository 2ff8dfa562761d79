import type { NodeAPI, NodeDef } from 'node-red';
import { CATALOGUE } from './catalogue/catalogue';
import type { Translate } from './client/translate';
import { ParamResolver } from './node-red/params';
import { registerWatchNode, type WatchNodeConfig } from './node-red/watch-node';
import { ExperimentWatch, type ExperimentPollOutcome } from './triggers/experiment-watch';

const EXPERIMENTS = CATALOGUE['comet-query-project'].operations.experiments;

interface ExperimentWatchConfig extends NodeDef, WatchNodeConfig {
  workspace?: string;
  projectName?: string;
  projectId?: string;
}

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
      const fields = { workspace: config.workspace, projectName: config.projectName, projectId: config.projectId };
      const project = await new ParamResolver(RED, node, fields, EXPERIMENTS, t).resolve({}, configNode.workspace);
      return new ExperimentWatch({ client: configNode.client(), project, emitInitial, store: memory, t: own });
    },
    summaryOf,
    noticeOf: (outcome, own) => (outcome.tellsRunState ? undefined : { log: own('notice.noRunState.log'), status: own('notice.noRunState.status') }),
    errorTopic: (config) => config.projectName || config.projectId || '',
  });
