'use strict';
// A watch node wired for tests: its changes go to `out`, and Complete and
// Catch nodes tell when a poll asked for by an input msg has ended.
const { helper, configNode, useNodeRed } = require('../helpers/runtime');
const { useSampleServerPerTest } = require('../helpers/sample-server');

/** The workspace and model of the sample data a watch node watches by default. */
const WS = 'ml-team';
const MODEL = 'churn-model';

/**
 * The flow: config node, watch node `w` (props override) and the observers,
 * on a tab (Complete and Catch scopes need real flow nodes, not config nodes).
 */
function watchFlow(server, props = {}, configOptions = {}) {
  return watchNodeFlow(server, { type: 'comet-model-watch', workspace: WS, modelName: MODEL, ...props }, configOptions);
}

/** The flow of any watch node `node` (id `w` unless it has one, hourly unless it says): config node, the node, `out` and the observers. */
function watchNodeFlow(server, node, configOptions = {}) {
  const watch = { id: 'w', z: 'tab', x: 0, y: 0, server: 'cfg', interval: '3600', ...node, wires: [['out']] };
  return [
    { id: 'tab', type: 'tab' },
    configNode(server, configOptions),
    watch,
    { id: 'out', type: 'helper', z: 'tab', x: 0, y: 0, wires: [] },
    ...observers(watch.id, 'tab'),
  ];
}

/**
 * Complete and Catch nodes on `watchId` (in tab `z`), wired to helper nodes
 * `finished` and `failed`, for pollNow. `withCatch: false` leaves the Catch
 * node out, for a flow whose own Catch node is wired to `failed` instead (the
 * test helper cannot load two Catch nodes).
 */
function observers(watchId, z, { withCatch = true } = {}) {
  return [
    { id: 'complete', type: 'complete', scope: [watchId], wires: [['finished']] },
    ...(withCatch ? [{ id: 'catch', type: 'catch', scope: [watchId], uncaught: false, wires: [['failed']] }] : []),
    { id: 'finished', type: 'helper', wires: [] },
    { id: 'failed', type: 'helper', wires: [] },
  ].map((node) => ({ z, x: 0, y: 0, ...node }));
}

/**
 * Mocha hooks for a describe block of watch tests: useSampleServerPerTest()
 * (watch tests change the registry's data), each test's flow unloaded before
 * its server closes. Returns the sample server's context.
 */
function useWatchTest() {
  useNodeRed({ httpServer: false });
  return useSampleServerPerTest();
}

/** Every msg `out` receives from now on. */
function collect(id = 'out') {
  const seen = [];
  helper.getNode(id).on('input', (msg) => seen.push(msg));
  return seen;
}

/**
 * Asks the watch node for a poll (with `msg`) and resolves when it has ended
 * (after the poll in flight, if any); rejects with msg.error when it failed.
 */
function pollNow(watchId = 'w', timeoutMs = 10000, msg = { payload: 'poll' }) {
  return new Promise((resolve, reject) => {
    const finished = helper.getNode('finished');
    const failed = helper.getNode('failed');
    const timer = setTimeout(() => settle(reject, new Error(`the poll did not end in ${timeoutMs} ms`)), timeoutMs);
    const onFinished = () => settle(resolve);
    const onFailed = (msg) => settle(reject, Object.assign(new Error(msg.error.message), msg.error));
    function settle(fn, value) {
      clearTimeout(timer);
      finished.removeListener('input', onFinished);
      failed.removeListener('input', onFailed);
      fn(value);
    }
    finished.on('input', onFinished);
    failed.on('input', onFailed);
    helper.getNode(watchId).receive(msg);
  });
}

function registryRequests(server) {
  return server.requests.filter((r) => r.path.startsWith('registry-model'));
}

module.exports = { WS, MODEL, useWatchTest, watchFlow, watchNodeFlow, observers, collect, pollNow, registryRequests };
