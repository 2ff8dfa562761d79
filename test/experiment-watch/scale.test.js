'use strict';
// comet-experiment-watch on a project of 2,000 experiments: one request a
// poll (the experiment list), whatever changed, after one project lookup per deploy.
const assert = require('node:assert/strict');
const { load } = require('../helpers/runtime');
const { useWatchTest, collect, pollNow } = require('../watch/harness');
const { WS, experimentWatchFlow, watchRequests, summary } = require('./harness');

const COUNT = 2000;

describe('comet-experiment-watch: a project of 2,000 experiments', function () {
  const ctx = useWatchTest();

  it('costs one request a poll, whether nothing, one run or a hundred runs changed', async () => {
    const { server } = ctx;
    const keys = server.data.runs.generate(COUNT, { projectName: 'many-runs', runningEvery: 10 });
    const running = keys.filter((key) => server.data.experiments[key].running);
    assert.equal(running.length, COUNT / 10);
    await load(experimentWatchFlow(server, { projectName: 'many-runs' }));
    const out = collect();
    await pollNow();
    const paths = () => watchRequests(server).map((r) => r.path);
    // The first poll (at start) looked the project up once; the asked-for one only listed.
    assert.deepEqual(paths(), ['project', 'experiments', 'experiments']);

    server.clearRequests();
    await pollNow();
    assert.deepEqual(paths(), ['experiments']);
    assert.deepEqual(out, []);

    server.clearRequests();
    server.data.runs.finish(running[3]);
    await pollNow();
    assert.deepEqual(paths(), ['experiments']);
    assert.deepEqual(summary(out), ['experiment-finished run-0030 finished']);

    server.clearRequests();
    for (const key of running.slice(100)) server.data.runs.crash(key);
    for (const key of keys.slice(0, 5)) server.data.runs.archive(key);
    await pollNow();
    assert.deepEqual(paths(), ['experiments']);
    const events = out.slice(1).map((m) => m.payload.event);
    assert.equal(events.filter((e) => e === 'experiment-crashed').length, 100);
    assert.equal(events.filter((e) => e === 'experiment-deleted').length, 5);
    assert.equal(events.length, 105);
    assert.ok(out.every((m) => m.payload.workspace === WS && m.payload.projectName === 'many-runs'));
  });
});
