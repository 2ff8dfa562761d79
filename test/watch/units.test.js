'use strict';
// The watch node's pure parts: diffing versions, the memory's stored form,
// the wait before the next poll.
const assert = require('node:assert/strict');
const { versionChanges, modelChanges, versionsOfDetails } = require('../../nodes/triggers/registry-events');
const { MODEL_MEMORY } = require('../../nodes/triggers/watch-state');
const { Remembered } = require('../../nodes/triggers/remembered');
const { nextPollDelayMs } = require('../../nodes/triggers/poller');

const REF = { workspace: 'ws', modelName: 'm', version: '1.0.0' };
const AT = '2024-01-01T00:00:00.000Z';
const kinds = (events) => events.map((e) => `${e.event}${e.stage ? ` ${e.stage}` : ''}`);

describe('registry events: diffing versions', function () {
  it('sends nothing when nothing changed, stage order and repeats aside', () => {
    assert.deepEqual(versionChanges(REF, { stages: ['a', 'b'], status: 'X' }, { stages: ['b', 'a'], status: 'X' }, {}, AT), []);
    assert.deepEqual(versionChanges(REF, { stages: [] }, { stages: [] }, {}, AT), []);
  });

  it('orders a version change: removed stages, added stages, then status', () => {
    const events = versionChanges(REF, { stages: ['staging'], status: 'Development' }, { stages: ['production'], status: 'Production' }, { v: 1 }, AT);
    assert.deepEqual(kinds(events), ['stage-removed staging', 'stage-added production', 'status-changed']);
    for (const e of events) {
      assert.deepEqual([e.previousStages, e.stages, e.previousStatus, e.status], [['staging'], ['production'], 'Development', 'Production']);
      assert.deepEqual(e.versionDetails, { v: 1 });
      assert.equal(e.detectedAt, AT);
    }
  });

  it('tells a status that appears or goes, and ignores a status no server sent', () => {
    assert.deepEqual(kinds(versionChanges(REF, { stages: [] }, { stages: [], status: 'None' }, {}, AT)), ['status-changed']);
    assert.deepEqual(kinds(versionChanges(REF, { stages: [], status: 'None' }, { stages: [] }, {}, AT)), ['status-changed']);
    assert.equal(versionChanges(REF, { stages: [], status: 'None' }, { stages: [] }, {}, AT)[0].status, null);
  });

  it('creates and deletes versions, with no details for a deleted one', () => {
    const created = versionChanges(REF, undefined, { stages: ['staging'] }, { v: 1 }, AT);
    assert.deepEqual(kinds(created), ['version-created']);
    assert.deepEqual([created[0].previousStages, created[0].stages, created[0].stage], [[], ['staging'], null]);
    const deleted = versionChanges(REF, { stages: ['archived'], status: 'None' }, undefined, { v: 1 }, AT);
    assert.deepEqual(kinds(deleted), ['version-deleted']);
    assert.deepEqual([deleted[0].previousStages, deleted[0].stages, deleted[0].previousStatus, deleted[0].versionDetails], [['archived'], [], 'None', null]);
  });

  it('diffs a whole model: server order, deleted versions last, everything new for a new model', () => {
    const details = { versions: [{ version: '2.0.0', stages: ['staging'] }, { version: '1.0.0', stages: ['production'], status: 'Production' }, { nope: 1 }] };
    const after = versionsOfDetails(details);
    assert.deepEqual([...after.keys()], ['2.0.0', '1.0.0']);
    const before = new Map([['1.0.0', { stages: [] }], ['0.1.0', { stages: [] }]]);
    assert.deepEqual(
      modelChanges('ws', 'm', before, after, AT).map((e) => `${e.event} ${e.version}`),
      ['version-created 2.0.0', 'stage-added 1.0.0', 'status-changed 1.0.0', 'version-deleted 0.1.0'],
    );
    assert.deepEqual(modelChanges('ws', 'm', undefined, after, AT).map((e) => e.event), ['version-created', 'version-created']);
    assert.deepEqual(modelChanges('ws', 'm', before, undefined, AT).map((e) => e.event), ['version-deleted', 'version-deleted']);
    assert.equal(versionsOfDetails({ registryModels: [] }), undefined);
  });

  it('reads stages as text, each once', () => {
    const after = versionsOfDetails({ versions: [{ version: '1', stages: ['a', 'a', 3, null, 'b'], status: 7 }] });
    assert.deepEqual(after.get('1').state, { stages: ['a', 'b'] });
    const stamped = versionsOfDetails({ versions: [{ version: '1', stages: [], registryModelItemId: 'abc', createdAt: 5, lastUpdated: 7 }] });
    assert.deepEqual(stamped.get('1').state, { stages: [], item: 'abc@5', updated: '7' });
  });
});

describe('watch memory: kept in the store, read back once', function () {
  const SCOPE = '["ws",null]';
  const memory = {
    models: new Map([
      ['m', { fingerprint: 'fp', versions: new Map([['1.0.0', { stages: ['production'], status: 'Production', item: 'id@1', updated: '2' }], ['0.9.0', { stages: [] }]]) }],
      ['n', { versions: new Map() }],
    ]),
  };

  /** A context store as a file store behaves: it keeps plain JSON, and counts the writes. */
  function jsonStore(value) {
    const store = {
      value,
      writes: 0,
      read: async () => store.value,
      write: async (next) => {
        store.writes++;
        store.value = JSON.parse(JSON.stringify(next));
      },
    };
    return store;
  }

  it('round-trips through JSON, as a file store keeps it, and is written only when it changed', async () => {
    const store = jsonStore(undefined);
    const first = new Remembered(store, SCOPE, MODEL_MEMORY);
    assert.equal(await first.recall(), undefined);
    await first.keep(memory, []);
    await first.keep(memory, []);
    assert.equal(store.writes, 1);
    assert.deepEqual(store.value.format, 1);
    const back = new Remembered(store, SCOPE, MODEL_MEMORY);
    assert.deepEqual(await back.recall(), memory);
    await back.keep(memory, []);
    assert.equal(store.writes, 1, 'what was read back is not written again');
  });

  it('keeps msgs in its outbox with what was seen, in one write, until they were sent', async () => {
    const store = jsonStore(undefined);
    const first = new Remembered(store, SCOPE, MODEL_MEMORY);
    await first.recall();
    const msg = (eventId) => ({ eventId, payload: { event: 'stage-added' } });
    assert.deepEqual(await first.keep(memory, [msg('a'), msg('b')]), [msg('a'), msg('b')]);
    assert.equal(store.writes, 1);
    assert.deepEqual(store.value.outbox, [msg('a'), msg('b')]);

    // A crash here: the next run sends them first, then its own.
    const next = new Remembered(store, SCOPE, MODEL_MEMORY);
    assert.deepEqual(await next.recall(), memory);
    assert.deepEqual(await next.keep(memory, []), [msg('a'), msg('b')]);
    assert.equal(store.writes, 1, 'nothing new to write');
    assert.deepEqual(await next.keep(memory, [msg('c')]), [msg('a'), msg('b'), msg('c')], 'until sent, kept msgs go out with every poll');
    await next.sent();
    assert.equal(store.value.outbox, undefined);
    assert.deepEqual(await next.keep(memory, []), []);
    const writes = store.writes;
    await next.sent();
    assert.equal(store.writes, writes, 'an empty outbox is not written again');
    const recalled = async (value, scope = SCOPE) => {
      const remembered = new Remembered(jsonStore(value), scope, MODEL_MEMORY);
      await remembered.recall();
      return remembered.keep(memory, []);
    };
    assert.deepEqual(await recalled(store.value), []);
    // A msg without an eventId is no kept msg; another scope's outbox is not this one's.
    const withOutbox = { ...store.value, outbox: [{ payload: 1 }, msg('d')] };
    assert.deepEqual(await recalled(withOutbox), [msg('d')]);
    assert.deepEqual(await recalled(withOutbox, '["other",null]'), []);
  });

  it('empties its outbox when the write after a send fails: this run does not send the msgs again', async () => {
    const store = jsonStore(undefined);
    const remembered = new Remembered(store, SCOPE, MODEL_MEMORY);
    await remembered.recall();
    await remembered.keep(memory, [{ eventId: 'a' }]);
    assert.deepEqual(store.value.outbox, [{ eventId: 'a' }]);
    store.write = () => Promise.reject(new Error('disk full'));
    await assert.rejects(remembered.sent(), /disk full/);
    store.write = async (next) => {
      store.value = JSON.parse(JSON.stringify(next));
    };
    assert.deepEqual(await remembered.keep(memory, []), []);
    assert.equal(store.value.outbox, undefined, 'the next write empties it in the store too');
  });

  it('is not used for another scope, nor when unreadable or of another format', async () => {
    const store = jsonStore(undefined);
    await new Remembered(store, SCOPE, MODEL_MEMORY).keep(memory, []);
    const stored = store.value;
    const recalled = (value, scope = SCOPE) => new Remembered(jsonStore(value), scope, MODEL_MEMORY).recall();
    assert.equal(await recalled(stored, '["ws","m"]'), undefined);
    assert.equal(await recalled(undefined), undefined);
    assert.equal(await recalled('text'), undefined);
    assert.equal(await recalled({ format: 1, scope: SCOPE, models: [{ modelName: 'm' }] }), undefined);
    assert.equal(await recalled({ ...stored, format: 99 }), undefined);
    assert.deepEqual(await recalled(stored), memory);
    // Written before versions had their stamps kept: read without them.
    const unstamped = { ...stored, models: [{ modelName: 'm', versions: [{ version: '1.0.0', stages: ['production'] }] }] };
    assert.deepEqual(await recalled(unstamped), { models: new Map([['m', { versions: new Map([['1.0.0', { stages: ['production'] }]]) }]]) });
  });
});

describe('watch: the wait before the next poll', function () {
  it('is the interval while Comet does not throttle', () => {
    assert.equal(nextPollDelayMs(60_000, 0), 60_000);
    assert.equal(nextPollDelayMs(60_000, 0, 3600), 60_000);
  });

  it('doubles with each 429 in a row, up to an hour', () => {
    assert.equal(nextPollDelayMs(60_000, 1), 120_000);
    assert.equal(nextPollDelayMs(60_000, 2), 240_000);
    assert.equal(nextPollDelayMs(60_000, 20), 3_600_000);
    assert.equal(nextPollDelayMs(7_200_000, 3), 7_200_000, 'an interval over an hour is not shortened');
  });

  it('is never shorter than what Comet asked for', () => {
    assert.equal(nextPollDelayMs(60_000, 1, 900), 900_000);
    assert.equal(nextPollDelayMs(60_000, 1, 10), 120_000);
  });
});
