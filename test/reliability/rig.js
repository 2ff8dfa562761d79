'use strict';
// The test rig of the reliability rows: a Node-RED runtime per test with the
// package's nodes, watchers for what must never happen (unhandled
// rejections, process warnings), and the check that stopping the flow
// leaves no socket or timer behind.
const assert = require('node:assert/strict');
const path = require('node:path');
const { helper, load, useNodeRed } = require('../helpers/runtime');
const { until } = require('../helpers/wait');
const { resourcesNow, leftSince } = require('../helpers/leaks');

/**
 * A core node's module (e.g. 'network/05-tls.js') from the Node-RED under
 * test (COMET_TEST_NODE_RED names another install, as for the Node-RED 5 leg).
 */
function coreNode(file) {
  const nodeRed = path.dirname(require.resolve(process.env.COMET_TEST_NODE_RED || 'node-red'));
  return require(require.resolve(`@node-red/nodes/core/${file}`, { paths: [nodeRed] }));
}

/**
 * Mocha hooks for the enclosing describe. Returns the rig: `deploy(flow,
 * credentials, extraModules)` loads a flow; `finish(servers)` stops it and
 * asserts that nothing leaked and nothing went unhandled.
 */
function useRig() {
  const rig = { unhandled: [], warnings: [], loaded: false };
  const onUnhandled = (reason) => rig.unhandled.push(reason);
  const onWarning = (warning) => rig.warnings.push(warning);

  useNodeRed();
  beforeEach(async function () {
    rig.unhandled = [];
    rig.warnings = [];
    process.on('unhandledRejection', onUnhandled);
    process.on('warning', onWarning);
    rig.before = await resourcesNow();
  });

  afterEach(function () {
    process.off('unhandledRejection', onUnhandled);
    process.off('warning', onWarning);
  });

  rig.deploy = async (flow, credentials, extraModules) => {
    rig.loaded = true;
    await load(flow, credentials, extraModules);
  };

  rig.stop = async () => {
    if (!rig.loaded) return;
    rig.loaded = false;
    await helper.unload();
  };

  /** Stops the flow; asserts no leftovers, no unhandled rejection, no warning. */
  rig.finish = async (servers = []) => {
    await rig.stop();
    for (const server of servers) await until(() => server.inFlight === 0, { message: 'the server to see every connection closed' });
    // The sample server's own pacing timers (a trickle's next chunk, <= 0.2 s)
    // may outlive the connection briefly; anything of ours would live far longer.
    let left;
    const nothingLeft = async () => Object.keys((left = await leftSince(rig.before))).length === 0;
    // A timeout is reported by the assertion below, which says what is left.
    await until(nothingLeft, { timeout: 500, message: 'nothing left running' }).catch(() => {});
    assert.deepEqual(left, {}, 'nothing is left running after the flow stops');
    assert.deepEqual(rig.unhandled.map(String), [], 'no unhandled rejection');
    assert.deepEqual(
      rig.warnings.map((w) => `${w.name}: ${w.message}`),
      [],
      'no process warning',
    );
  };

  return rig;
}

/** Log entries (Node-RED's log.log calls, every level) since the flow was loaded. */
function logEntries() {
  const spy = helper.log();
  return spy ? spy.args.map((args) => args[0]) : [];
}

module.exports = { useRig, logEntries, coreNode };
