'use strict';
// What a node's status says while its msgs wait: for the config's request
// budget, or for Comet's rate limit (HTTP 429), and until when; the green dot
// once the last msg is done.
const assert = require('node:assert/strict');
const { useNodeTest, loadNode } = require('./harness');
const { until } = require('../helpers/wait');

const metadata = { type: 'comet-get-experiment', operation: 'metadata' };

/** The seconds since midnight of a status's HH:MM:SS. */
function secondsOf(text) {
  const [h, m, s] = /(\d\d):(\d\d):(\d\d)$/.exec(text).slice(1).map(Number);
  return h * 3600 + m * 60 + s;
}

/** Whether a status's HH:MM:SS is within a second of the time `ms` (midnight in between included). */
function near(text, ms) {
  const at = new Date(ms);
  const apart = Math.abs(secondsOf(text) - (at.getHours() * 3600 + at.getMinutes() * 60 + at.getSeconds()));
  return Math.min(apart, 86400 - apart) <= 1;
}

describe('status while msgs wait', function () {
  const ctx = useNodeTest();

  it('with a rate: "waiting for the request budget until" the queue has gone, then the green dot after the last msg', async function () {
    const { server, experimentKey } = ctx;
    const loaded = await loadNode(server, metadata, { rate: 600 });
    const started = Date.now();
    loaded.outcomes.inject(6, () => ({ experimentKey }));
    await loaded.outcomes.settled(6);
    assert.deepEqual(loaded.outcomes.problems(6), []);
    const waiting = loaded.status.seen.find((s) => /^waiting for the request budget until \d\d:\d\d:\d\d$/.test(s.text));
    assert.ok(waiting, JSON.stringify(loaded.status.seen));
    assert.deepEqual([waiting.fill, waiting.shape], ['blue', 'ring']);
    // 6 msgs, one every 0.1 s: the queue has gone about 0.5 s after the first.
    assert.ok(near(waiting.text, started + 500), `${waiting.text}, started ${new Date(started).toTimeString()}`);
    await until(() => loaded.status.seen.at(-1).fill === 'green', { message: 'the green dot after the last msg' });
  });

  it('after a 429: "waiting for Comet\'s rate limit until" the time Comet asked for, then the green dot', async function () {
    const { server, experimentKey } = ctx;
    server.fault('experiment/metadata', { status: 429, headers: { 'Retry-After': '2' } });
    const loaded = await loadNode(server, metadata);
    const started = Date.now();
    loaded.outcomes.inject(1, () => ({ experimentKey }));
    await loaded.outcomes.settled(1);
    assert.equal(loaded.outcomes.sent.length, 1);
    const waiting = loaded.status.seen.find((s) => /^waiting for Comet's rate limit until /.test(s.text));
    assert.ok(waiting, JSON.stringify(loaded.status.seen));
    assert.ok(near(waiting.text, started + 2000), `${waiting.text}, started ${new Date(started).toTimeString()}`);
    await until(() => loaded.status.seen.at(-1).fill === 'green', { message: 'the green dot once the retry answered' });
  });
});
