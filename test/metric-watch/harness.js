'use strict';
// comet-metric-watch wired for tests as the other watches are (test/watch/harness.js):
// its alerts go to `out`, Complete and Catch nodes tell when an asked-for poll ended.
// Its runs are the sample server's training runs (sample-server/dataset/training.js),
// in a project of their own.
const { watchNodeFlow } = require('../watch/harness');

const WS = 'ml-team';
/** The sample project without experiments: only the tests' training runs are in it. */
const PROJECT = 'sandbox';

/** The flow: config node, metric watch `w` (props override) and the observers, on a tab. */
function metricWatchFlow(server, props = {}, configOptions = {}) {
  return watchNodeFlow(server, { type: 'comet-metric-watch', workspace: WS, projectName: PROJECT, projectId: '', ...props }, configOptions);
}

/** "metric-alert <run> <rule>" for each msg, to compare lists of alerts. */
const summary = (msgs) => msgs.map((m) => `${m.payload.event} ${m.payload.experimentName} ${m.payload.rule}`);

/** A training run of the test project; returns its key. */
const train = (server, name, curve = 'manual') => server.data.training.start(WS, PROJECT, name, { curve });

/** Logs `values` of loss, one step each, to run `key`. */
function logLoss(server, key, ...values) {
  for (const loss of values) server.data.training.log(key, { loss });
}

module.exports = { WS, PROJECT, metricWatchFlow, summary, train, logLoss };
