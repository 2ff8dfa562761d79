'use strict';
// comet-experiment-watch on one project: each event, several changes between
// two polls, first start and emitInitial, the ways to name the project, and a
// msg going straight on to get metrics, against the sample server over real HTTP.
const assert = require('node:assert/strict');
const { helper, load, nextMessage } = require('../helpers/runtime');
const { statusSpy } = require('../helpers/status');
const { useWatchTest, collect, pollNow } = require('../watch/harness');
const { WS, PROJECT, experimentWatchFlow, summary } = require('./harness');
const { ids } = require('../../sample-server/data');

/** The churn project's experiments in the list's order (archived ones are not listed). */
const CHURN = ['logreg-baseline', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10', 'mlp-2x64'];

describe('comet-experiment-watch: the runs of one project', function () {
  const ctx = useWatchTest();
  let server;
  let runs;
  beforeEach(() => {
    ({ server } = ctx);
    ({ runs } = server.data);
  });

  let status;
  /** Loads the watch, lets its first poll end, and returns the msgs it sends, the first poll's included; its statuses in `status`. */
  async function started(props, flow = experimentWatchFlow(server, props)) {
    // Slow enough that the first poll's msgs (and status), if any, are collected.
    server.fault('experiments', { delayMs: 100 });
    await load(flow);
    status = statusSpy(helper.getNode('w'));
    const out = collect();
    await pollNow();
    return out;
  }

  it('sends nothing on first start, nor while nothing changes though a running one moves its end time', async () => {
    runs.start(WS, PROJECT, 'long-run');
    server.fault('experiments', { delayMs: 100 });
    await load(experimentWatchFlow(server));
    const shown = statusSpy(helper.getNode('w'));
    const out = collect();
    // The first poll says what it watches.
    await shown.until((s) => s.fill === 'green' && s.text === 'watching 7 experiments of churn');
    const memory = () => JSON.stringify(helper.getNode('w').context().get('cometExperimentWatch'));
    const kept = memory();
    for (let i = 0; i < 3; i++) await pollNow();
    assert.deepEqual(out, []);
    assert.equal(memory(), kept, 'the heartbeat is not remembered');
    await shown.until((s) => s.fill === 'green' && /^no change at /.test(s.text));
  });

  it('sends experiment-created for a new run, with the contract shape and the names the next nodes read', async () => {
    const out = await started();
    const before = Date.now();
    const key = runs.start(WS, PROJECT, 'xgb-depth12');
    await pollNow();
    assert.equal(out.length, 1);
    const [msg] = out;
    assert.equal(msg.topic, `churn/${key}`);
    const { detectedAt, startTimeMillis, durationMillis, ...rest } = msg.payload;
    assert.deepEqual(rest, {
      event: 'experiment-created',
      workspace: WS,
      projectId: ids.projects.churn,
      projectName: PROJECT,
      experimentKey: key,
      experimentName: 'xgb-depth12',
      state: 'running',
      previousState: null,
      endTimeMillis: null,
    });
    assert.ok(startTimeMillis >= before && startTimeMillis <= Date.now());
    assert.equal(typeof durationMillis, 'number');
    assert.ok(!Number.isNaN(Date.parse(detectedAt)));
    assert.deepEqual([msg.experimentKey, msg.workspace, msg.projectId, msg.projectName], [key, WS, ids.projects.churn, PROJECT]);
    await status.until((s) => s.fill === 'green' && /^1 change at /.test(s.text));
  });

  it('sends experiment-finished and experiment-crashed once when runs end, with their end time', async () => {
    const good = runs.start(WS, PROJECT, 'good-run');
    const bad = runs.start(WS, PROJECT, 'bad-run');
    const out = await started();
    runs.finish(good);
    runs.crash(bad);
    await pollNow();
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-finished good-run finished', 'experiment-crashed bad-run crashed']);
    for (const { payload } of out) {
      assert.equal(payload.previousState, 'running');
      assert.equal(payload.endTimeMillis, server.data.experiments[payload.experimentKey].endTimeMillis);
      assert.equal(payload.durationMillis, payload.endTimeMillis - payload.startTimeMillis);
    }
  });

  it('sends experiment-deleted for a run deleted or archived, with what was last seen of it', async () => {
    const out = await started();
    runs.delete(ids.experiments['xgb-depth6']);
    runs.archive(ids.experiments['mlp-2x64']);
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-deleted xgb-depth6 null', 'experiment-deleted mlp-2x64 null']);
    const [deleted] = out;
    assert.equal(deleted.payload.previousState, 'finished');
    assert.equal(deleted.payload.experimentKey, ids.experiments['xgb-depth6']);
    assert.equal(typeof deleted.payload.endTimeMillis, 'number');
    await pollNow();
    assert.equal(out.length, 2);
  });

  it('several changes between two polls: a run created and ended sends created then its end; one created and gone, nothing', async () => {
    const out = await started();
    runs.finish(runs.start(WS, PROJECT, 'quick'));
    runs.crash(runs.start(WS, PROJECT, 'broken'));
    runs.delete(runs.start(WS, PROJECT, 'mistake'));
    await pollNow();
    assert.deepEqual(summary(out), [
      'experiment-created quick finished',
      'experiment-finished quick finished',
      'experiment-created broken crashed',
      'experiment-crashed broken crashed',
    ]);
    assert.deepEqual(
      out.map((m) => m.payload.previousState),
      [null, null, null, null],
    );
  });

  it('a run resumed sends nothing, and its next end is sent again; one that ended and resumed between polls, nothing', async () => {
    const key = runs.start(WS, PROJECT, 'resumable');
    const other = runs.start(WS, PROJECT, 'flaky');
    const out = await started();
    runs.crash(key);
    await pollNow();
    runs.resume(key);
    runs.finish(other);
    runs.resume(other);
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-crashed resumable crashed']);
    runs.finish(key);
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-crashed resumable crashed', 'experiment-finished resumable finished']);
    assert.equal(out[1].payload.previousState, 'running');
  });

  it('with emitInitial, sends the present state once at first start: created, then the end of each ended run', async () => {
    const live = runs.start(WS, PROJECT, 'live');
    const out = await started({ emitInitial: true });
    const wanted = CHURN.flatMap((name) => [`experiment-created ${name} finished`, `experiment-finished ${name} finished`]);
    assert.deepEqual(summary(out), [...wanted, 'experiment-created live running']);
    assert.equal(out.at(-1).experimentKey, live);
    await pollNow();
    assert.equal(out.length, wanted.length + 1);
  });

  it('watches a project named by its id (which wins over a name), and falls back to the config node workspace', async () => {
    let out = await started({ projectName: 'fraud', projectId: ids.projects.churn });
    runs.start(WS, PROJECT, 'by-id');
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-created by-id running']);
    assert.deepEqual([out[0].payload.projectName, out[0].payload.workspace, out[0].topic.split('/')[0]], [PROJECT, WS, PROJECT]);
    await helper.unload();

    out = await started({ workspace: '', projectName: 'fraud' });
    runs.start(WS, 'fraud', 'fraud-gbm');
    await pollNow();
    assert.deepEqual(summary(out), ['experiment-created fraud-gbm running']);
    assert.equal(out[0].payload.projectId, ids.projects.fraud);
  });

  it('sets msg.experimentKey so a get metrics node with blank fields reads the run that ended', async () => {
    const key = runs.start(WS, PROJECT, 'to-measure');
    const flow = experimentWatchFlow(server);
    flow.find((n) => n.id === 'w').wires = [['metrics']];
    flow.push({ id: 'metrics', type: 'comet-get-metrics', z: 'tab', server: 'cfg', operation: 'summary', wires: [['out']] });
    await started({}, flow);
    const arrived = nextMessage(helper.getNode('out'));
    runs.finish(key);
    await pollNow();
    const msg = await arrived;
    assert.equal(msg.payload.values.length, 3);
    assert.ok(server.requests.some((r) => r.path === 'experiment/metrics/summary' && r.query.experimentKey === key));
    assert.equal(msg.topic, `churn/${key}`);
  });
});
