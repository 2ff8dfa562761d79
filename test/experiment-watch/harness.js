'use strict';
// comet-experiment-watch wired for tests as the model watch is (test/watch/harness.js):
// its changes go to `out`, Complete and Catch nodes tell when an asked-for poll ended.
const { watchNodeFlow } = require('../watch/harness');

/** The sample project a watch node watches by default, and the experiments it starts with. */
const WS = 'ml-team';
const PROJECT = 'churn';

/** The flow: config node, experiment watch `w` (props override) and the observers, on a tab. */
function experimentWatchFlow(server, props = {}, configOptions = {}) {
  return watchNodeFlow(server, { type: 'comet-experiment-watch', workspace: WS, projectName: PROJECT, projectId: '', ...props }, configOptions);
}

/** The requests of the experiment list, and of the project lookup. */
const listRequests = (server) => server.requests.filter((r) => r.path === 'experiments');
const watchRequests = (server) => server.requests.filter((r) => r.path === 'experiments' || r.path === 'project');

/** "experiment-created new-run running" for each msg, to compare lists of events. */
const summary = (msgs) => msgs.map((m) => `${m.payload.event} ${m.payload.experimentName} ${m.payload.state}`);

module.exports = { WS, PROJECT, experimentWatchFlow, listRequests, watchRequests, summary };
