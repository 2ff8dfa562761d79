'use strict';
// Both watches in a real Node-RED process killed with SIGKILL at the moments
// that matter, with Node-RED's localfilesystem store as settings.js documents
// it (a flush every 30 s): before the store's first flush, right after a send
// (the issue's case: experiment-finished sent, then SIGKILL), with changes
// made while Node-RED is down and msgs a crash left in the outbox. Each change
// reaches the flow once, none is lost, each with its own eventId. With the
// memory store, what changed while Node-RED was down is not sent (measured
// too: the README's table of store settings).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { until } = require('../helpers/wait');
const { useSampleServerPerTest } = require('../helpers/sample-server');
const { FILE_STORE, useCrashRig } = require('./crash-rig');
const { registryEventId, versionsOfDetails } = require('../../nodes/triggers/registry-events');
const { experimentEventId } = require('../../nodes/triggers/experiment-events');

const WS = 'ml-team';

/** What the test does to each watch's data, and how it reads the watch's msgs. */
const KINDS = {
  'comet-model-watch': {
    key: 'cometModelWatch',
    props: { modelName: 'churn-model' },
    /** The path of the one request a poll makes. */
    pollPath: 'registry-model/details',
    summary: (msg) => `${msg.payload.event} ${msg.payload.version}${msg.payload.stage ? ` ${msg.payload.stage}` : ''}`,
    /** The id of the msg's change, made here from the change alone (no version here is deleted: each has its details). */
    idOf: ({ payload }) => registryEventId('model-watch', JSON.stringify([WS, 'churn-model']), payload, versionsOfDetails({ versions: [payload.versionDetails] }).get(payload.version).state),
    setUp() {},
    /** The change a deploy flow waits for: a version put in production. */
    promote(server) {
      server.registry.setStages(WS, 'churn-model', '1.1.0', ['staging', 'production']);
      return ['stage-added 1.1.0 production'];
    },
    /** A change of its own, `n` apart from the others. */
    another(server, n) {
      server.registry.addVersion(WS, 'churn-model', `7.${n}.0`);
      return [`version-created 7.${n}.0`];
    },
  },
  'comet-experiment-watch': {
    key: 'cometExperimentWatch',
    props: { projectName: 'churn' },
    pollPath: 'experiments',
    summary: (msg) => `${msg.payload.event} ${msg.payload.experimentName}`,
    idOf: ({ payload }) => experimentEventId('experiment-watch', JSON.stringify(['experiments', payload.projectId]), payload),
    setUp(server) {
      this.early = server.data.runs.start(WS, 'churn', 'early');
    },
    /** A run ends: the issue's experiment-finished. */
    promote(server) {
      server.data.runs.finish(this.early);
      return ['experiment-finished early'];
    },
    another(server, n) {
      const key = server.data.runs.start(WS, 'churn', `run-${n}`);
      server.data.runs.crash(key);
      return [`experiment-created run-${n}`, `experiment-crashed run-${n}`];
    },
  },
};

describe('watches killed with SIGKILL (a real Node-RED process)', function () {
  this.timeout(240000);
  const ctx = useSampleServerPerTest();
  const rig = useCrashRig(ctx);

  /** The polls the sample server has answered so far. */
  const polls = (kind) => ctx.server.requests.filter((r) => r.path === kind.pollPath && r.status !== undefined).length;

  /**
   * Lets two polls end after now, so that whatever the first poll after a
   * start sends (kept msgs, changes made while down) has gone out at least
   * one interval before anything made after it.
   */
  async function twoPollsEnded(kind) {
    const from = polls(kind);
    await until(() => polls(kind) >= from + 2, { timeout: 20000, message: 'two more polls' });
  }

  /** Makes `change` and waits until the hook has got what came before it and its msgs. */
  async function expectNext(expected, change) {
    const summaries = change();
    expected.push(...summaries);
    await rig.receivedCount(expected.length, summaries.join(', '));
  }

  /** Sets up the data `type`'s changes need and starts Node-RED with `contextStorage` and the watch's `store`. */
  async function start(type, contextStorage, store) {
    const kind = KINDS[type];
    kind.setUp(ctx.server);
    await rig.start(contextStorage, type, { ...kind.props, store });
    return { kind, server: ctx.server, expected: [] };
  }

  /** Resolves once the watch has kept what its first poll saw in its own file. */
  const firstPollKept = (kind) => until(() => rig.memoryFile(kind.key), { timeout: 20000, message: "the watch's file" });

  /** Resolves once the watch has noted its msgs as sent: its file's outbox is empty. */
  const outboxEmptied = (kind) => until(() => rig.memoryFile(kind.key)?.outbox === undefined, { message: 'the outbox emptied' });

  function assertReceived(kind, expected) {
    assert.deepEqual(
      rig.received.map(({ msg }) => kind.summary(msg)),
      expected,
    );
    const ids = rig.received.map(({ eventId }) => eventId);
    assert.equal(new Set(ids).size, ids.length, 'each msg its own eventId');
    // Made from the change alone, whichever start of Node-RED sent it: the same on every process and after every restart.
    for (const { eventId, msg } of rig.received) if (eventId !== 'left-by-a-crash') assert.equal(eventId, kind.idOf(msg), kind.summary(msg));
  }

  for (const type of Object.keys(KINDS)) {
    describe(type, function () {
      it('localfilesystem store, default settings: SIGKILL before its first flush and right after a send; each change once, none lost', async () => {
        const { kind, server, expected } = await start(type, FILE_STORE, 'file');

        // Killed once the first poll has kept what is there: the store has flushed nothing yet.
        await firstPollKept(kind);
        assert.equal(rig.contextFile(), undefined, 'the context store has not flushed yet');
        await rig.kill();
        const whileDown = kind.another(server, 1);
        await rig.restart();
        await expectNext(expected, () => whileDown);

        // The issue's case: the msg went out, Node-RED is killed right after, long before a flush.
        await expectNext(expected, () => kind.promote(server));
        await outboxEmptied(kind);
        assert.notDeepEqual(rig.contextFile()?.[kind.key], rig.memoryFile(kind.key), 'the context store has not flushed it yet');
        await rig.kill();
        const alsoWhileDown = kind.another(server, 2);
        await rig.restart();
        await expectNext(expected, () => alsoWhileDown);

        await twoPollsEnded(kind);
        await expectNext(expected, () => kind.another(server, 3));
        assertReceived(kind, expected);

        // Stopped as it should be, the store flushes: the same memory in both places (and the context file was looked for where it is).
        await rig.nodeRed.stop();
        assert.deepEqual(rig.contextFile()[kind.key], rig.memoryFile(kind.key));
      });

      it('sends msgs a crash left in its outbox once, at the next start, with the eventId they had', async () => {
        const { kind, server, expected } = await start(type, FILE_STORE, 'file');
        await firstPollKept(kind);
        await expectNext(expected, () => kind.promote(server));
        await outboxEmptied(kind);
        await rig.kill();

        // What a crash between the write and the send leaves: the msg kept, not sent (here a copy, under an id of its own).
        const stored = rig.memoryFile(kind.key);
        const left = { ...rig.received[0].msg, eventId: 'left-by-a-crash' };
        const file = path.join(rig.userDir, 'comet-watches', `${kind.key}-w.json`);
        fs.writeFileSync(file, JSON.stringify({ ...stored, outbox: [left] }));
        await rig.restart();
        await expectNext(expected, () => [kind.summary(left)]);
        assert.equal(rig.received.at(-1).eventId, 'left-by-a-crash');
        await outboxEmptied(kind);

        await twoPollsEnded(kind);
        await expectNext(expected, () => kind.another(server, 1));
        assertReceived(kind, expected);
      });
    });
  }

  /**
   * The issue's case for the experiment watch, with `contextStorage` and the
   * watch's `store`: a run ends and its msg goes out, SIGKILL, a run made and
   * crashed while Node-RED is down, Node-RED started again, a run made after.
   * `durable`: whether the store keeps what the watch saw (the run made while
   * down is then sent).
   */
  async function killedAfterASend(contextStorage, store, { durable }) {
    const { kind, server, expected } = await start('comet-experiment-watch', contextStorage, store);
    await twoPollsEnded(kind);
    await expectNext(expected, () => kind.promote(server));
    if (durable) await outboxEmptied(kind);
    else assert.equal(rig.memoryFile(kind.key), undefined, 'no file of its own with a memory store');
    await rig.kill();
    const whileDown = kind.another(server, 1);
    await rig.restart();
    if (durable) await expectNext(expected, () => whileDown);
    await twoPollsEnded(kind);
    await expectNext(expected, () => kind.another(server, 2));
    assertReceived(kind, expected);
  }

  it('localfilesystem store with flushInterval 1 (measured for the README): a SIGKILL right after a send; each change once, none lost', () =>
    killedAfterASend({ ...FILE_STORE, file: { module: 'localfilesystem', config: { flushInterval: 1 } } }, 'file', { durable: true }));

  it('memory store (measured for the README): after a SIGKILL the watch starts afresh; nothing twice, and what changed while down is not sent', () =>
    killedAfterASend(FILE_STORE, '', { durable: false }));
});
