'use strict';
// comet-experiment-watch wired for tests as the model watch is (test/watch/harness.js):
// its changes go to `out`, Complete and Catch nodes tell when an asked-for poll ended.
const { configNode } = require('../helpers/runtime');
const { observers } = require('../watch/harness');

/** The sample project a watch node watches by default, and the experiments it starts with. */
const WS = 'ml-team';
const PROJECT = 'churn';

/** The flow: config node, experiment watch `w` (props override) and the observers, on a tab. */
function experimentWatchFlow(server, props = {}, configOptions = {}) {
  const watch = { id: 'w', type: 'comet-experiment-watch', z: 'tab', x: 0, y: 0, server: 'cfg', workspace: WS, projectName: PROJECT, projectId: '', interval: '3600' };
  return [
    { id: 'tab', type: 'tab' },
    configNode(server, configOptions),
    { ...watch, ...props, wires: [['out']] },
    { id: 'out', type: 'helper', z: 'tab', x: 0, y: 0, wires: [] },
    ...observers('w', 'tab'),
  ];
}

/** The requests of the experiment list, and of the project lookup. */
const listRequests = (server) => server.requests.filter((r) => r.path === 'experiments');
const watchRequests = (server) => server.requests.filter((r) => r.path === 'experiments' || r.path === 'project');

/** "experiment-created new-run running" for each msg, to compare lists of events. */
const summary = (msgs) => msgs.map((m) => `${m.payload.event} ${m.payload.experimentName} ${m.payload.state}`);

module.exports = { WS, PROJECT, experimentWatchFlow, listRequests, watchRequests, summary };
