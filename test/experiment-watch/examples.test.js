'use strict';
// The example flows of examples/ that start from an experiment watch, run end
// to end against the sample server as a user imports them.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { helper, nextMessage } = require('../helpers/runtime');
const { useWatchTest, pollNow } = require('../watch/harness');
const { exampleFlow, loadExample } = require('../watch/examples');
const { until, realDelay } = require('../helpers/wait');
const { WS, PROJECT } = require('./harness');
const { startDemoActivity } = require('../../sample-server/demo-activity');

describe('examples: experiment watch flows', function () {
  const ctx = useWatchTest();
  let server;
  beforeEach(() => ({ server } = ctx));

  it('"tell the team when a run ends" tells of each run that finished or crashed, and of nothing else', async () => {
    const flow = exampleFlow('tell-the-team-when-a-run-ends', { server });
    const watch = flow.find((n) => n.type === 'comet-experiment-watch');
    const chat = flow.find((n) => n.name === 'chat');
    const good = server.data.runs.start(WS, PROJECT, 'xgb-depth12');
    const bad = server.data.runs.start(WS, PROJECT, 'mlp-wide');
    await loadExample(flow);
    const said = [];
    helper.getNode(chat.id).on('input', (msg) => said.push(msg.payload));
    await pollNow(watch.id);
    server.data.runs.start(WS, PROJECT, 'still-running');
    server.data.runs.finish(good);
    server.data.runs.crash(bad);
    await pollNow(watch.id);
    await until(() => said.length === 2, { timeout: 2000, message: 'two messages to the team' });
    assert.deepEqual(said, [
      `Run xgb-depth12 of ml-team/churn finished (${good}).`,
      `Run mlp-wide of ml-team/churn CRASHED (${bad}): look at its output in Comet.`,
    ]);
    await pollNow(watch.id);
    assert.equal(said.length, 2);
  });

  it('"report a finished run" writes the report of the run that finished, alone, with its metrics and parameters', async () => {
    const flow = exampleFlow('report-a-finished-run', { server });
    const watch = flow.find((n) => n.type === 'comet-experiment-watch');
    const report = flow.find((n) => n.name === 'report');
    const key = server.data.runs.start(WS, PROJECT, 'xgb-depth12', { params: { model_type: 'xgboost', learning_rate: 0.05, max_depth: 12 } });
    const file = `/tmp/comet-run-${key}.md`;
    fs.rmSync(file, { force: true });
    await loadExample(flow);
    await pollNow(watch.id);
    const written = nextMessage(helper.getNode(report.id));
    server.data.runs.crash(server.data.runs.start(WS, PROJECT, 'no-report'));
    server.data.runs.finish(key);
    await pollNow(watch.id);
    const msg = await written;
    try {
      const text = fs.readFileSync(file, 'utf8');
      assert.equal(msg.payload, text);
      assert.deepEqual(msg.report.rows.map((row) => [row.experimentKey, row.experimentName, row.model_type, row.max_depth]), [[key, 'xgb-depth12', 'xgboost', '12']]);
      assert.deepEqual(msg.report.project, { projectId: server.data.findProject({ projectName: PROJECT, workspaceName: WS }).projectId, projectName: PROJECT, workspace: WS });
      assert.equal(msg.report.rows[0]['val_loss:min'], Math.min(...server.data.experiments[key].metrics.val_loss.values));
      assert.match(text, new RegExp(`\\| xgb-depth12 \\| ${key} \\|`));
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("the demo's own activity: a run that finishes a while after start, told to the team, and churn-model 1.1.0 promoted", async () => {
    const flow = exampleFlow('tell-the-team-when-a-run-ends', { server });
    const watch = flow.find((n) => n.type === 'comet-experiment-watch');
    const chat = flow.find((n) => n.name === 'chat');
    await loadExample(flow);
    const said = [];
    helper.getNode(chat.id).on('input', (msg) => said.push(msg.payload));
    await pollNow(watch.id);
    // Started once the flow runs, so that a slow load cannot take up the time before the run ends.
    const stop = startDemoActivity(server, { afterMs: 1500 });
    try {
      await pollNow(watch.id);
      const run = Object.values(server.data.experiments).find((e) => e.experimentName === 'xgb-depth12');
      assert.equal(run.running, true, 'running from the start');
      await until(() => !run.running, { message: 'the run to finish' });
      await pollNow(watch.id);
      await until(() => said.length === 1, { timeout: 2000, message: 'the message to the team' });
      assert.equal(said[0], `Run xgb-depth12 of ml-team/churn finished (${run.experimentKey}).`);
      const version = server.data.findRegistryModel(WS, 'churn-model').versions.find((v) => v.version === '1.1.0');
      assert.deepEqual(version.stages, ['staging', 'production']);
    } finally {
      stop();
    }
  });

  it("the demo's activity, cancelled before its time, changes nothing more", async () => {
    const stop = startDemoActivity(server, { afterMs: 50 });
    stop();
    const run = Object.values(server.data.experiments).find((e) => e.experimentName === 'xgb-depth12');
    await realDelay(100);
    assert.equal(run.running, true);
  });
});
