'use strict';
// The package as Node-RED itself loads it (not through the test helper): a real
// Node-RED process, on this Node and the Node-RED that COMET_TEST_NODE_RED names
// (test-all.sh runs this on Node 20 + Node-RED 4 and Node 22 + Node-RED 5),
// with this checkout installed in its user dir. Every node set must load,
// enabled and without errors, and Node-RED must log no warning or error.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { PACKAGE, freePort, makeUserDir, linkPackage, writeSettings, startNodeRed } = require('../scripts/lib/node-red');

/** What Node-RED itself says about a bare user dir, package or not. */
const RUNTIME_NOTICES = [/Projects disabled/, /Encrypted credentials not found/];

describe('package: loads in a real Node-RED', function () {
  this.timeout(60000);
  let nodeRed;
  let userDir;
  let nodeSets;

  before(async () => {
    userDir = makeUserDir();
    linkPackage(userDir);
    const port = await freePort();
    writeSettings(userDir, port);
    nodeRed = await startNodeRed({ userDir, port });
    const res = await fetch(`${nodeRed.url}nodes`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    nodeSets = (await res.json()).filter((set) => set.module === PACKAGE.name);
  });

  after(async () => {
    if (nodeRed) await nodeRed.stop();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('loads every node set package.json lists, enabled, with its type and no error', () => {
    const listed = PACKAGE['node-red'].nodes;
    assert.deepEqual(nodeSets.map((set) => set.name).sort(), Object.keys(listed).sort());
    for (const set of nodeSets) {
      assert.equal(set.err, undefined, `${set.id}: ${set.err}`);
      assert.equal(set.enabled, true, `${set.id} is disabled`);
      assert.deepEqual(set.types, [set.name], `${set.id} registers ${set.types}`);
    }
  });

  it('logs no warning or error while loading and starting', () => {
    const complaints = nodeRed
      .log()
      .split('\n')
      .filter((line) => /\[(warn|error)\]|Warning:/.test(line) && !RUNTIME_NOTICES.some((notice) => notice.test(line)));
    assert.deepEqual(complaints, []);
  });
});
