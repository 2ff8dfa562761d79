'use strict';
// Node-RED embedded through its API, for benchmarks: editor off, nothing
// listening, this checkout linked into a made user dir as the demo and the
// package tests link it, or installed from its `npm pack` tarball as a user
// gets it (scripts/lib/node-red.js), flows and unencrypted credentials
// written there before it starts.
const fs = require('fs');
const http = require('http');
const path = require('path');
const { nodeRedDir, makeUserDir, linkPackage, installPackedPackage } = require('../../scripts/lib/node-red');

async function waitFor(check, what, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Node-RED: ${what} not there after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts Node-RED on `flows` and resolves, once every node of them with wires
 * exists, with { RED, userDir, stop() }. `prepare(userDir)` may add modules first;
 * `settings` adds to (or replaces) the settings below (e.g. contextStorage).
 * `packed`: the package installed from its tarball (the build's nodes/, the
 * dependencies npm resolves for it) instead of this checkout linked; a
 * folder name: the tarball of the built package there (BENCH_PACKAGE_DIR, a
 * baseline to compare with).
 */
async function startEmbeddedNodeRed({ flows, credentials = {}, prepare, packed = false, settings = {}, prefix = 'comet-bench-nodered-' }) {
  const userDir = makeUserDir(prefix);
  if (packed) installPackedPackage(userDir, [], typeof packed === 'string' ? packed : undefined);
  else linkPackage(userDir);
  if (prepare) prepare(userDir);
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  const RED = require(nodeRedDir());
  RED.init(http.createServer(), {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    telemetry: { enabled: false, updateNotification: false },
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    ...settings,
  });
  await RED.start();
  const ids = flows.filter((n) => n.wires).map((n) => n.id);
  await waitFor(() => ids.every((id) => RED.nodes.getNode(id)), 'every node of the flow');
  const stop = async () => {
    await RED.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  return { RED, userDir, stop };
}

module.exports = { startEmbeddedNodeRed };
