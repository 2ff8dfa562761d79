'use strict';
// The test rig of the reliability rows: a Node-RED runtime per test with the
// package's nodes, watchers for what must never happen (unhandled
// rejections, process warnings), and the check that stopping the flow
// leaves no socket or timer behind.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper, load, useNodeRed, SAMPLE_KEY, configNode } = require('../helpers/runtime');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');
const { until, realDelay } = require('../helpers/wait');
const { resourcesNow, leftSince } = require('../helpers/leaks');

/** Where measured numbers go (they vary per run): bench/.out/, not docs/reliability.md. */
const NUMBERS = path.join(__dirname, '..', '..', 'bench', '.out');

/** Records `numbers` as `name` in bench/.out/<file>, beside what earlier rows recorded there. */
function recordNumbers(file, name, numbers) {
  const out = path.join(NUMBERS, file);
  fs.mkdirSync(NUMBERS, { recursive: true });
  const all = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  all[name] = { ...numbers, node: process.version, at: new Date().toISOString() };
  fs.writeFileSync(out, `${JSON.stringify(all, null, 2)}\n`);
}

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
 * asserts that nothing leaked and nothing went unhandled; `redeployDuring`
 * redeploys in the middle of a flow's work and checks what became of it.
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

  /**
   * Deploys `node` on a config node of `server` (`config`: configNode's
   * options), sends `count` msgs (each `make()`), waits for `ready`, redeploys
   * the same flow, and checks the old msgs: each done once, none sent or
   * caught after the close (what came out came before it, and the one
   * warning line counts the rest), no request sent after the close;
   * `closed()`, if given, checks what must hold the moment the close is over. Then,
   * unless `fresh` is false, that the new flow answers (the faults cleared);
   * then that stopping it leaves nothing. Returns the warning, the requests
   * the server saw from the old flow, and the old msgs that came out.
   */
  rig.redeployDuring = async (server, node, { config = {}, count, make, ready, what, closed, fresh = true }) => {
    const flow = flowAround(node, [configNode(server, { concurrency: 4, ...config })]);
    await rig.deploy(flow, { cfg: { apiKey: SAMPLE_KEY } });
    const old = recordOutcomes();
    old.inject(count, make);
    await until(ready, { timeout: 60_000, message: what });
    const logged = logEntries().length;
    await helper.setFlows(flow, 'full', { cfg: { apiKey: SAMPLE_KEY } });
    closed?.();
    const requests = server.requests.length;
    await until(() => old.doneCount === count, { message: 'every old msg done' });
    await until(() => server.inFlight === 0, { message: 'the old connections to close' });
    await realDelay(100);
    assert.equal(server.requests.length, requests, 'no request after the close');
    assert.ok([...old.dones.values()].every((n) => n === 1), 'done once per msg');
    const warnings = logEntries()
      .slice(logged)
      .filter((entry) => entry.level <= 30 && entry.id === 'n');
    assert.equal(warnings.length, 1, warnings.map((entry) => entry.msg).join('\n'));
    const out = old.sent.length + old.caught.length;
    const cancelled = Number(/Closed with (\d+) /.exec(String(warnings[0].msg))?.[1]);
    assert.equal(cancelled + out, count, 'every msg came out before the close or was cancelled by it');
    if (fresh) {
      server.clearFaults();
      const next = recordOutcomes();
      next.inject(1, make);
      await next.settled(1);
      assert.deepEqual(next.problems(1), []);
      assert.equal(next.sent.length, 1, 'the redeployed flow works');
    }
    await rig.finish([server]);
    return { warning: warnings[0], requests, out, cancelled };
  };

  return rig;
}

/** Log entries (Node-RED's log.log calls, every level) since the flow was loaded. */
function logEntries() {
  const spy = helper.log();
  return spy ? spy.args.map((args) => args[0]) : [];
}

module.exports = { useRig, logEntries, coreNode, recordNumbers };
