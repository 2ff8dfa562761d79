import type { NodeAPI } from 'node-red';
import { downloadHandler } from './download/handler';
import type { Translate } from './client/translate';
import { registerOperationNode } from './node-red/operation-node';

const TYPE = 'comet-download-model';

export = (RED: NodeAPI): void => {
  // A plain key resolves against this node set's catalog (locales/<lang>/comet-download-model.json).
  const own: Translate = (key, vars) => RED._(`${TYPE}.${key}`, vars as Record<string, string | number>);
  registerOperationNode(RED, TYPE, { handlers: { download: downloadHandler(RED, own) } });
};
