'use strict';
// msg.eventId on every trigger msg: the same change gives the same id to every
// watch of the same scope (as two Node-RED processes would see it), and two
// alike changes (a stage added, removed, added again) give different ids.
const assert = require('node:assert/strict');
const { configNode, load } = require('../helpers/runtime');
const { useWatchTest, observers, collect, pollNow } = require('./harness');
const { WebhookDeliveries } = require('../../nodes/triggers/webhook-deliveries');
const { eventIdOf, canonicalJson } = require('../../nodes/triggers/event-id');

const WS = 'ml-team';
const MODEL = 'churn-model';
const PROJECT = 'churn';

/** Two watch nodes `a` and `b` of `type` with the same properties, each wired to its own helper, observed by one Complete node: poll one at a time. */
function twinFlow(server, type, props) {
  const watch = (id) => ({ id, type, z: 'tab', x: 0, y: 0, server: 'cfg', workspace: WS, interval: '3600', ...props, wires: [[`out-${id}`]] });
  return [
    { id: 'tab', type: 'tab' },
    configNode(server),
    watch('a'),
    watch('b'),
    { id: 'out-a', type: 'helper', z: 'tab', x: 0, y: 0, wires: [] },
    { id: 'out-b', type: 'helper', z: 'tab', x: 0, y: 0, wires: [] },
    ...observers('a', 'tab').map((node) => (node.scope ? { ...node, scope: ['a', 'b'] } : node)),
  ];
}

/** Polls `a`, then `b`. */
async function pollBoth() {
  await pollNow('a');
  await pollNow('b');
}

describe('msg.eventId', function () {
  const ctx = useWatchTest();
  let server;
  beforeEach(() => ({ server } = ctx));

  /** Loads the twins and lets each record the present; then `changes` one by one, each followed by a poll of both. Returns each twin's msgs. */
  async function twinsThrough(type, props, changes) {
    await load(twinFlow(server, type, props));
    await pollBoth();
    const a = collect('out-a');
    const b = collect('out-b');
    for (const change of changes) {
      change();
      await pollBoth();
    }
    return { a, b };
  }

  it('model watch: every msg has one, the same for both twins; a stage added, removed and added again makes three ids', async () => {
    server.registry.setStages(WS, MODEL, '1.1.0', []);
    const setStages = (stages) => () => server.registry.setStages(WS, MODEL, '1.1.0', stages);
    const { a, b } = await twinsThrough('comet-model-watch', { modelName: MODEL }, [
      setStages(['production']),
      setStages([]),
      setStages(['production']),
      () => server.registry.addVersion(WS, MODEL, '9.0.0'),
      () => server.registry.deleteVersion(WS, MODEL, '9.0.0'),
      () => server.registry.addVersion(WS, MODEL, '9.0.0'),
      () => server.registry.deleteVersion(WS, MODEL, '9.0.0'),
    ]);
    const events = a.map((msg) => `${msg.payload.event} ${msg.payload.version} ${msg.payload.stage ?? ''}`.trim());
    assert.deepEqual(events, [
      'stage-added 1.1.0 production',
      'stage-removed 1.1.0 production',
      'stage-added 1.1.0 production',
      'version-created 9.0.0',
      'version-deleted 9.0.0',
      'version-created 9.0.0',
      'version-deleted 9.0.0',
    ]);
    for (const msg of a) assert.match(msg.eventId, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      b.map((msg) => msg.eventId),
      a.map((msg) => msg.eventId),
      'the same change, the same id',
    );
    assert.equal(new Set(a.map((msg) => msg.eventId)).size, a.length, 'alike changes, different ids');
  });

  it('model watch: a watch of the whole workspace is another scope, with its own ids', async () => {
    const flow = twinFlow(server, 'comet-model-watch', { modelName: MODEL });
    flow.find((node) => node.id === 'b').modelName = '';
    await load(flow);
    await pollBoth();
    const a = collect('out-a');
    const b = collect('out-b');
    server.registry.setStages(WS, MODEL, '1.1.0', ['production']);
    await pollBoth();
    const events = (msgs) => msgs.map((msg) => `${msg.payload.event} ${msg.topic} ${msg.payload.stage}`);
    assert.deepEqual(events(a), ['stage-removed churn-model/1.1.0 staging', 'stage-added churn-model/1.1.0 production']);
    assert.deepEqual(events(b), events(a));
    assert.notEqual(a[0].eventId, b[0].eventId);
    assert.notEqual(a[1].eventId, b[1].eventId);
  });

  it('experiment watch: every msg has one, the same for both twins; a run resumed and ended again makes another', async () => {
    const { runs } = server.data;
    let key;
    const { a, b } = await twinsThrough('comet-experiment-watch', { projectName: PROJECT }, [
      () => (key = runs.start(WS, PROJECT, 'id-run')),
      () => runs.finish(key),
      () => runs.resume(key),
      () => runs.finish(key),
      () => runs.delete(key),
    ]);
    assert.deepEqual(
      a.map((msg) => msg.payload.event),
      ['experiment-created', 'experiment-finished', 'experiment-finished', 'experiment-deleted'],
    );
    for (const msg of a) assert.match(msg.eventId, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      b.map((msg) => msg.eventId),
      a.map((msg) => msg.eventId),
    );
    assert.equal(new Set(a.map((msg) => msg.eventId)).size, a.length);
  });
});

describe('msg.eventId: webhook deliveries and the id itself', function () {
  const body = { workspaceName: WS, registryModelName: MODEL, version: '1.1.0', trigger: 'MODEL_VERSION_STAGES_CHANGED', stages: ['production'], previousStages: ['staging'] };

  it('gives the same delivery the same ids in every process, whatever it saw before', () => {
    const here = new WebhookDeliveries();
    here.messagesOf({ ...body, stages: ['staging'], previousStages: [] });
    const first = here.messagesOf(body);
    const elsewhere = new WebhookDeliveries().messagesOf(JSON.parse(JSON.stringify(body)));
    assert.deepEqual(
      first.map((msg) => msg.payload.event),
      ['stage-removed', 'stage-added'],
    );
    assert.deepEqual(
      elsewhere.map((msg) => msg.eventId),
      first.map((msg) => msg.eventId),
    );
    assert.notEqual(first[0].eventId, first[1].eventId, 'each event of a delivery has its own');
  });

  it('gives another delivery other ids, and a body it cannot read an id too', () => {
    const deliveries = new WebhookDeliveries();
    const [one] = deliveries.messagesOf({ ...body, lastUpdated: 1 });
    const [other] = deliveries.messagesOf({ ...body, lastUpdated: 2 });
    assert.notEqual(one.eventId, other.eventId);
    const [unknown] = deliveries.messagesOf({ hello: 'world' });
    assert.match(unknown.eventId, /^[0-9a-f]{32}$/);
    assert.equal(unknown.eventId, new WebhookDeliveries().messagesOf({ hello: 'world' })[0].eventId);
  });

  it('hashes values, not the order of their keys', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
    assert.equal(eventIdOf('t', 's', [{ a: 1, b: 2 }]), eventIdOf('t', 's', [{ b: 2, a: 1 }]));
    assert.notEqual(eventIdOf('t', 's', [1]), eventIdOf('t', 'other', [1]));
  });
});
