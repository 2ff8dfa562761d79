'use strict';
// What one poll of comet-metric-watch costs: the project's experiment list and
// one chart request per 50 watched experiments (R = 1, 50, 51, 200), whatever
// else the project holds; and bytes that stop growing once the runs are longer
// than a sampled chart answer (500 values a metric).
const assert = require('node:assert/strict');
const { load } = require('../helpers/runtime');
const { useWatchTest, collect, pollNow } = require('../watch/harness');
const { metricWatchFlow, train } = require('./harness');

/** The paths one poll asked, and the bytes the server sent for it. */
async function onePoll(server) {
  server.clearRequests();
  server.resetStats();
  await pollNow();
  return { paths: server.requests.map((r) => r.path), bytes: server.bytesSent };
}

describe('comet-metric-watch: requests and bytes of one poll', function () {
  const ctx = useWatchTest();

  for (const R of [1, 50, 51, 200]) {
    it(`R = ${R} running experiments: the list and ${Math.ceil(R / 50)} chart request(s), 50 experiments at most in each`, async () => {
      const { server } = ctx;
      const keys = Array.from({ length: R }, (_, i) => train(server, `run-${i}`, i % 2 ? 'healthy' : 'plateau'));
      // Ended runs in the project are listed, never charted.
      for (const key of [train(server, 'ended-a'), train(server, 'ended-b')]) server.data.runs.finish(key);
      server.data.training.step(20);
      await load(metricWatchFlow(server, { rules: 'loss > 2\nloss min no better for 5 steps\nstalled 30 minutes' }));
      const out = collect();
      await pollNow();
      server.data.training.step(1);
      const { paths, bytes } = await onePoll(server);
      const charts = Math.ceil(R / 50);
      assert.deepEqual(paths, ['experiments', ...Array(charts).fill('experiments/multi-metric-chart')]);
      const asked = server.requests.filter((r) => r.path === 'experiments/multi-metric-chart').flatMap((r) => r.body.targetedExperiments);
      assert.ok(server.requests.every((r) => r.path !== 'experiments/multi-metric-chart' || r.body.targetedExperiments.length <= 50));
      assert.deepEqual(asked.sort(), [...keys].sort(), 'each running experiment once');
      assert.equal(out.length, 0, 'nothing new: the plateau runs were recorded at the first poll');
      console.log(`      R = ${R}: ${paths.length} requests, ${bytes} bytes`);
    });
  }

  it('bytes per poll stop growing once the runs outgrow a sampled answer', async () => {
    const { server } = ctx;
    for (let i = 0; i < 50; i++) train(server, `run-${i}`, 'healthy');
    await load(metricWatchFlow(server, { rules: 'loss > 2\nval_loss min no better for 50 steps' }));
    const bytesAt = {};
    for (const steps of [100, 500, 2000, 5000]) {
      server.data.training.step(steps - (server.data.experiments[Object.keys(server.data.experiments).at(-1)].metrics.loss.steps.length || 0));
      bytesAt[steps] = (await onePoll(server)).bytes;
    }
    console.log(`      50 runs, 2 metrics: ${JSON.stringify(bytesAt)} bytes a poll by steps logged`);
    assert.ok(bytesAt[500] > 2 * bytesAt[100], 'grows with the runs while they are short');
    assert.ok(bytesAt[5000] < 1.1 * bytesAt[500], 'bounded once they are longer than 500 values');
    assert.ok(bytesAt[2000] < 1.1 * bytesAt[500]);
  });
});
