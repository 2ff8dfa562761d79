import type { NodeAPI, NodeDef } from 'node-red';
import { CATALOGUE } from './catalogue/catalogue';
import type { Translate } from './client/translate';
import { ParamResolver } from './node-red/params';
import { registerWatchNode, type WatchNodeConfig } from './node-red/watch-node';
import { ModelWatch, type PollOutcome } from './triggers/model-watch';

const REGISTRY = CATALOGUE['comet-get-registry-model'].operations;

interface ModelWatchConfig extends NodeDef, WatchNodeConfig {
  workspace?: string;
  /** Blank: every model of the workspace. */
  modelName?: string;
}

function summaryOf({ events, first, models, versions }: PollOutcome, own: Translate): string {
  const time = new Date().toLocaleTimeString();
  if (events.length) return own('status.changes', { count: events.length, time });
  if (!first) return own('status.unchanged', { time });
  return own('status.watching', { versions, models });
}

/** Watches the model registry (triggers/model-watch.ts) and sends each change of a version as a msg. */
export = (RED: NodeAPI): void =>
  registerWatchNode<ModelWatchConfig, PollOutcome>(RED, {
    type: 'comet-model-watch',
    memoryKey: 'cometModelWatch',
    async create({ node, config, configNode, memory, emitInitial, t, own }) {
      const endpoint = config.modelName ? REGISTRY.details : REGISTRY.models;
      const fields = { workspace: config.workspace, modelName: config.modelName };
      const values = await new ParamResolver(RED, node, fields, endpoint, t).resolve({}, configNode.workspace);
      return new ModelWatch({
        client: configNode.client(),
        workspace: String(values.workspace),
        modelName: values.modelName === undefined ? undefined : String(values.modelName),
        emitInitial,
        store: memory,
        t: own,
      });
    },
    summaryOf,
    errorTopic: (config) => config.modelName || config.workspace || '',
  });
