'use strict';
// Loads a flow of examples/ as a user imports it, pointed at test servers:
// the config node at the sample server, debug nodes swapped for helper nodes
// (same ids), the deploy hook and the download folder at the test's own.
const path = require('node:path');
const { load, SAMPLE_KEY } = require('../helpers/runtime');
const { observers } = require('./harness');

const ROOT = path.join(__dirname, '..', '..');
const CORE = ['common/90-comment.js', 'function/10-switch.js', 'function/15-change.js', 'function/80-template.js', 'network/21-httprequest.js', 'storage/10-file.js'];
const WATCHES = ['comet-model-watch', 'comet-experiment-watch', 'comet-metric-watch'];

/** The core nodes examples use (the package's own nodes are those package.json lists). */
function coreModules() {
  return CORE.map((file) => require(`@node-red/nodes/core/${file}`));
}

/**
 * The example `name` (file name without .json) rewritten for a test, with
 * observers for pollNow on its watch node if it has one.
 */
function exampleFlow(name, { server, hookUrl, folder }) {
  const flow = require(path.join(ROOT, 'examples', `${name}.json`)).map((node) => ({ ...node }));
  for (const node of flow) {
    if (node.type === 'comet-config') node.baseUrl = server.url;
    if (node.type === 'debug') Object.assign(node, { type: 'helper' });
    if (node.type === 'http request' && hookUrl) node.url = hookUrl;
    if (node.type === 'comet-download-model' && folder) node.path = folder;
  }
  const watch = flow.find((node) => WATCHES.includes(node.type));
  if (watch) {
    const own = flow.find((node) => node.type === 'catch' && node.scope.includes(watch.id));
    if (own) own.wires = [[...own.wires[0], 'failed']];
    flow.push(...observers(watch.id, watch.z, { withCatch: !own }));
  }
  return flow;
}

/** Loads the flow with the sample key in its config nodes, more credentials, and more modules. */
function loadExample(flow, { credentials = {}, modules = [] } = {}) {
  const keys = Object.fromEntries(flow.filter((n) => n.type === 'comet-config').map((n) => [n.id, { apiKey: SAMPLE_KEY }]));
  return load(flow, { ...keys, ...credentials }, [...modules, ...coreModules()]);
}

module.exports = { exampleFlow, loadExample };
