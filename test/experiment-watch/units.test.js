'use strict';
// The experiment watch's pure parts: reading a list item (state, times),
// diffing two sightings, what is remembered, and the msg of an event.
const assert = require('node:assert/strict');
const { experimentChanges, experimentOfItem, experimentMessage, rememberedForm, tellsRunState } = require('../../nodes/triggers/experiment-events');

const PROJECT = { workspace: 'ws', projectId: 'p1', projectName: 'proj' };
const AT = '2024-01-01T00:00:00.000Z';
const item = (fields) => ({ experimentKey: 'k1', experimentName: 'run', startTimeMillis: 1000, endTimeMillis: 5000, durationMillis: 4000, ...fields });
const seen = (fields) => experimentOfItem(item(fields));
const kinds = (events) => events.map((e) => e.event);

describe('experiment events: reading the list', function () {
  it("tells the state as Comet's Python SDK does: running, else crashed when hasCrashed, else finished", () => {
    assert.equal(seen({ running: true, hasCrashed: true }).state, 'running');
    assert.equal(seen({ running: false, hasCrashed: true }).state, 'crashed');
    assert.equal(seen({ running: false }).state, 'finished');
    assert.equal(seen({ running: false, hasCrashed: 'yes' }).state, 'finished');
  });

  it('has no state where the server gives no running field, and says whether an item tells it', () => {
    assert.equal(seen({}).state, null);
    assert.equal(seen({ running: 'true' }).state, null);
    assert.equal(tellsRunState(item({ running: false })), true);
    assert.equal(tellsRunState(item({})), false);
    assert.equal(tellsRunState(null), false);
  });

  it('gives no end time while a run lives (the heartbeat is no end), and reads times given as text', () => {
    const live = seen({ running: true });
    assert.deepEqual([live.startTimeMillis, live.endTimeMillis, live.durationMillis], [1000, null, 4000]);
    const ended = seen({ running: false, startTimeMillis: '1000', endTimeMillis: '5000', durationMillis: 'soon' });
    assert.deepEqual([ended.startTimeMillis, ended.endTimeMillis, ended.durationMillis], [1000, 5000, null]);
  });

  it('skips an item without an experiment key', () => {
    assert.equal(experimentOfItem({ experimentName: 'x' }), undefined);
    assert.equal(experimentOfItem('k1'), undefined);
    assert.equal(experimentOfItem(null), undefined);
  });

  it('remembers no time that may still move: none for a running run or one of unknown state', () => {
    assert.deepEqual(rememberedForm(seen({ running: false })), seen({ running: false }));
    for (const fields of [{ running: true }, {}]) {
      const kept = rememberedForm(seen(fields));
      assert.deepEqual([kept.endTimeMillis, kept.durationMillis, kept.startTimeMillis], [null, null, 1000]);
    }
  });
});

describe('experiment events: diffing two sightings', function () {
  const changes = (before, after) => kinds(experimentChanges(PROJECT, before, after, AT));
  const running = seen({ running: true });
  const finished = seen({ running: false });
  const crashed = seen({ running: false, hasCrashed: true });
  const unknown = seen({});

  it('a new run: created; one already ended: created, then its end', () => {
    assert.deepEqual(changes(undefined, running), ['experiment-created']);
    assert.deepEqual(changes(undefined, finished), ['experiment-created', 'experiment-finished']);
    assert.deepEqual(changes(undefined, crashed), ['experiment-created', 'experiment-crashed']);
    assert.deepEqual(changes(undefined, unknown), ['experiment-created']);
  });

  it('an end since the last poll: its end event, from running or from the other end', () => {
    assert.deepEqual(changes(running, finished), ['experiment-finished']);
    assert.deepEqual(changes(running, crashed), ['experiment-crashed']);
    assert.deepEqual(changes(crashed, finished), ['experiment-finished']);
    assert.deepEqual(changes(finished, crashed), ['experiment-crashed']);
  });

  it('nothing when the state stayed, when a run resumed, or where a state was not known before', () => {
    for (const [before, after] of [[running, running], [finished, finished], [finished, running], [crashed, running], [unknown, finished], [unknown, unknown], [running, unknown]]) {
      assert.deepEqual(changes(before, after), [], `${before.state} -> ${after.state}`);
    }
    assert.deepEqual(changes(undefined, undefined), []);
  });

  it('gone: deleted, with what was last seen and the state it had', () => {
    const [event] = experimentChanges(PROJECT, rememberedForm(finished), undefined, AT);
    assert.deepEqual(event, {
      event: 'experiment-deleted',
      ...PROJECT,
      experimentKey: 'k1',
      experimentName: 'run',
      state: null,
      previousState: 'finished',
      startTimeMillis: 1000,
      endTimeMillis: 5000,
      durationMillis: 4000,
      detectedAt: AT,
    });
  });

  it('an end event carries the state before and after, the project, and the run as it is now', () => {
    const [event] = experimentChanges(PROJECT, rememberedForm(running), seen({ running: false, endTimeMillis: 9000, durationMillis: 8000 }), AT);
    assert.deepEqual([event.state, event.previousState, event.endTimeMillis, event.durationMillis], ['finished', 'running', 9000, 8000]);
    assert.deepEqual([event.workspace, event.projectId, event.projectName], ['ws', 'p1', 'proj']);
  });

  it('as a msg: topic <projectName>/<experimentKey>, and the names the next nodes read', () => {
    const [event] = experimentChanges(PROJECT, undefined, running, AT);
    const msg = experimentMessage(event, 'id');
    assert.deepEqual(msg, { eventId: 'id', topic: 'proj/k1', payload: event, experimentKey: 'k1', workspace: 'ws', projectId: 'p1', projectName: 'proj' });
  });
});
