import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './node-red/operation-node';

export = (RED: NodeAPI): void => registerOperationNode(RED, 'comet-get-best-experiment');
