'use strict';
// comet-experiment-watch when things go wrong: a failed poll, a failed or
// unknown project, a missing setting, an older server whose experiment list
// says nothing of whether a run is alive; and the timing every watch has
// (429, outages, overlaps, close: test/watch/timing.js).
const assert = require('node:assert/strict');
const { helper, load } = require('../helpers/runtime');
const { statusSpy } = require('../helpers/status');
const { until } = require('../helpers/wait');
const { itPollsAsEveryWatch } = require('../watch/timing');
const { useWatchTest, collect, pollNow } = require('../watch/harness');
const { WS, PROJECT, experimentWatchFlow, listRequests, watchRequests, summary } = require('./harness');

describe('comet-experiment-watch: failures, older servers and close', function () {
  const ctx = useWatchTest();
  let server;
  beforeEach(() => {
    ({ server } = ctx);
  });
  itPollsAsEveryWatch(ctx, { flowOf: experimentWatchFlow, path: 'experiments' });

  /** Warnings the watch node logged. */
  const warnings = () =>
    helper
      .log()
      .args.map(([entry]) => entry)
      .filter((entry) => entry.level === helper.log().WARN && entry.id === 'w')
      .map((entry) => entry.msg);

  it('a failed poll sends nothing, shows a red ring with the reason, and forgets nothing: the end comes next time', async () => {
    const key = server.data.runs.start(WS, PROJECT, 'unlucky');
    await load(experimentWatchFlow(server, {}, { retries: 0 }));
    const out = collect();
    await pollNow();
    const status = statusSpy(helper.getNode('w'));
    server.data.runs.finish(key);
    server.fault('experiments', { status: 500 });
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_SERVER_ERROR' && err.cause.statusCode === 500);
    assert.deepEqual(out, []);
    const red = await status.until((s) => s.fill === 'red');
    assert.deepEqual([red.shape, red.text], ['ring', 'server error (500)']);

    await pollNow();
    assert.deepEqual(summary(out), ['experiment-finished unlucky finished']);
    await until(() => status.seen.at(-1).fill === 'green', { timeout: 2000, message: 'a green status after the good poll' });
  });

  it('a failed project lookup fails the poll before any list, and is tried again at the next', async () => {
    server.fault('project', { status: 503 });
    await load(experimentWatchFlow(server, {}, { retries: 0 }));
    const errors = collect('failed');
    await until(() => errors.length === 1, { message: 'the first poll to fail' });
    assert.equal(errors[0].error.code, 'COMET_SERVER_ERROR');
    assert.equal(errors[0].topic, PROJECT, 'a Catch node can tell which watch failed');
    assert.deepEqual(listRequests(server), []);
    await pollNow();
    assert.deepEqual(watchRequests(server).map((r) => r.path), ['project', 'project', 'experiments']);
  });

  it('an unknown project fails with COMET_NOT_FOUND to a Catch node', async () => {
    await load(experimentWatchFlow(server, { projectName: 'no-such-project' }, { retries: 0 }));
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_NOT_FOUND');
    assert.deepEqual(listRequests(server), []);
  });

  it('refuses a project named nowhere, and an interval below the minimum: no request, COMET_BAD_INPUT', async () => {
    await load(experimentWatchFlow(server, { projectName: '' }));
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_BAD_INPUT' && /projectId/.test(err.message) && /projectName/.test(err.message));
    await helper.unload();
    await load(experimentWatchFlow(server, { interval: '1' }));
    await assert.rejects(pollNow(), (err) => err.code === 'COMET_BAD_INPUT' && /"1".*at least 5.*Every/.test(err.message));
    assert.deepEqual(watchRequests(server), []);
  });

  describe('an older server, whose experiment list has no "running" field', function () {
    beforeEach(() => server.data.runs.olderServer());

    it('says so once in the log and in a yellow status, and sends only experiment-created and experiment-deleted', async () => {
      const key = server.data.runs.start(WS, PROJECT, 'old-style');
      await load(experimentWatchFlow(server));
      const out = collect();
      const status = statusSpy(helper.getNode('w'));
      await pollNow();
      server.data.runs.finish(key);
      server.data.runs.crash(server.data.runs.start(WS, PROJECT, 'new-and-crashed'));
      server.data.runs.archive(key);
      await pollNow();
      await pollNow();
      assert.deepEqual(summary(out), ['experiment-created new-and-crashed null', 'experiment-deleted old-style null']);
      assert.equal(out[0].payload.previousState, null);
      const said = warnings();
      assert.equal(said.length, 1, 'logged once, not once a poll');
      assert.match(said[0], /no "running" field.*experiment-created and experiment-deleted only/);
      const yellow = await status.until((s) => s.fill === 'yellow');
      assert.deepEqual([yellow.shape, yellow.text], ['dot', 'no run state from this server: created/deleted only']);
    });

    it('a server that starts giving the state later reports no end it cannot have seen, and then every end', async () => {
      const key = server.data.runs.start(WS, PROJECT, 'upgraded');
      const other = server.data.runs.start(WS, PROJECT, 'after-upgrade');
      await load(experimentWatchFlow(server));
      const out = collect();
      await pollNow();
      server.data.runs.olderServer(false);
      server.data.runs.finish(key);
      await pollNow();
      assert.deepEqual(out, []);
      server.data.runs.finish(other);
      await pollNow();
      assert.deepEqual(summary(out), ['experiment-finished after-upgrade finished']);
    });
  });
});
