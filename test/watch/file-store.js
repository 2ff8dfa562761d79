'use strict';
// A watch node across restarts of Node-RED, with its memory in a file-backed
// context store (Node-RED's localfilesystem, store `file`) as a user would set it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { helper, load } = require('../helpers/runtime');

/**
 * Mocha hooks for the enclosing describe: context stores `default` (memory)
 * and `file` (a fresh folder) for each test; with `userDir`, that folder is
 * Node-RED's userDir too (where watches keep their own files). Returns
 * { dir, start, restart }.
 */
function useFileContextStore({ userDir = false } = {}) {
  const store = {
    dir: undefined,
    /**
     * Starts `flow` as Node-RED does: context stores opened before any node
     * starts. The test helper skips opening stores, so load the flow without
     * the watch node `watchId`, open them, then deploy the whole flow.
     */
    async start(flow, server, watchId = 'w') {
      await load(flow.filter((node) => node.id !== watchId));
      await helper._context.load();
      await helper.setFlows(flow, 'full', { cfg: { apiKey: server.apiKey } });
    },
    /** Stops Node-RED, runs `whileDown`, and starts it again: nodes made anew with the same ids, the store read back from disk. */
    async restart(whileDown) {
      await helper._redNodes.stopFlows();
      await helper._context.close(); // flushes the store to its files
      whileDown();
      helper._context.init(helper.settings());
      await helper._context.load();
      await helper._redNodes.startFlows();
    },
  };
  beforeEach(() => {
    store.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-watch-'));
    helper.settings({
      ...(userDir && { userDir: store.dir }),
      contextStorage: {
        default: { module: 'memory' },
        file: { module: 'localfilesystem', config: { dir: store.dir, flushInterval: 3600 } },
      },
    });
  });
  afterEach(async () => {
    await helper._context.close();
    helper.settings({ contextStorage: undefined, userDir: undefined });
    fs.rmSync(store.dir, { recursive: true, force: true });
  });
  return store;
}

module.exports = { useFileContextStore };
