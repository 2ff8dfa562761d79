'use strict';
// Shared set-up for node tests: Node-RED's test helper with this package's
// nodes loaded, config nodes for a sample server, and a runtime per test.
const fs = require('node:fs');
const path = require('node:path');
const helper = require('node-red-node-test-helper');

// COMET_TEST_NODE_RED names another Node-RED install (scripts/test-all.sh runs
// the suite a second time with Node-RED 5 from .tmp/nr5/ this way).
helper.init(require.resolve(process.env.COMET_TEST_NODE_RED || 'node-red'));

const SAMPLE_KEY = 'sample-key';

const LOCALES = path.join(__dirname, '..', '..', 'nodes', 'locales', 'en-US');

/** A node set's English catalog (nodes/locales/en-US/<set>.json), or {} when it has none. */
function catalogOf(set) {
  const file = path.join(LOCALES, `${set}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

/**
 * The helper's RED._ returns the key itself; Node-RED resolves it against the
 * node set's catalog (`ns:key` against set `ns`). Tests check the sentences
 * people read, so each module gets its own RED with the English catalogs.
 */
function withMessages(set, register) {
  return (red) => {
    const translate = (key, vars = {}) => {
      const colon = key.indexOf(':');
      const catalog = colon < 0 ? catalogOf(set) : catalogOf(key.slice(0, colon).split('/').pop());
      const lookup = (name) => name.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), catalog);
      // i18next's English plurals: with a numeric `count`, `key_one` or `key_other` comes before `key`.
      const plural = typeof vars.count === 'number' ? lookup(`${key.slice(colon + 1)}_${vars.count === 1 ? 'one' : 'other'}`) : undefined;
      const template = plural ?? lookup(key.slice(colon + 1));
      return typeof template === 'string' ? template.replace(/__(\w+?)__/g, (_, name) => (name in vars ? String(vars[name]) : '')) : key;
    };
    return register(Object.create(red, { _: { value: translate } }));
  };
}

/** Every node module of the package, as package.json lists them. */
function allNodes() {
  const { nodes } = require('../../package.json')['node-red'];
  return Object.values(nodes).map((file) => withMessages(path.basename(file, '.js'), require(`../../${file}`)));
}

/**
 * A config node pointing at `server`. Options: id, apiKey, workspace,
 * concurrency, timeout (s), retries, rate (requests a minute), name.
 */
function configNode(server, options = {}) {
  return {
    id: options.id || 'cfg',
    type: 'comet-config',
    name: options.name || 'sample',
    baseUrl: options.baseUrl || server.url,
    workspace: options.workspace === undefined ? 'ml-team' : options.workspace,
    concurrency: options.concurrency === undefined ? '' : String(options.concurrency),
    timeout: options.timeout === undefined ? '' : String(options.timeout),
    retries: options.retries === undefined ? '' : String(options.retries),
    rate: options.rate === undefined ? '' : String(options.rate),
  };
}

function credentialsFor(config, apiKey = SAMPLE_KEY) {
  return { [config.id]: { apiKey } };
}

/**
 * Loads `flow` (which must contain its config node) with the package's nodes
 * and any `extraModules` (e.g. a core node's module), and resolves when
 * loaded; rejects when the flow does not start. Credentials default to the
 * sample key for 'cfg'.
 */
function load(flow, credentials = { cfg: { apiKey: SAMPLE_KEY } }, extraModules = []) {
  return helper.load([...allNodes(), ...extraModules], flow, credentials);
}

/**
 * Mocha hooks for the enclosing describe: after each test its flow is
 * unloaded. With `httpServer` (the default), Node-RED's HTTP server runs
 * around each test too (admin endpoints, helper.request()). Call it before a
 * sample server's hooks: the flow stops before a server it talks to closes.
 */
function useNodeRed({ httpServer = true } = {}) {
  if (httpServer) beforeEach(() => helper.startServer());
  afterEach(async () => {
    await helper.unload();
    if (httpServer) await helper.stopServer();
  });
}

/** Resolves with the next msg `node` receives. */
function nextMessage(node, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no msg reached ${node.id} in ${timeoutMs} ms`)), timeoutMs);
    node.once('input', (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

module.exports = { helper, SAMPLE_KEY, configNode, credentialsFor, load, useNodeRed, nextMessage };
