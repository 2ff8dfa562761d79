'use strict';
// A flow around one node under test, and a record of what became of each msg
// sent into it: sent on, caught (done(err) -> Catch node), and how many times
// done was called. Each msg carries `seq` so its outcomes can be counted.
const { helper } = require('./runtime');
const { until } = require('./wait');
const { loopTurns } = require('./leaks');

/**
 * The flow, on tab 'f1': `configs`, the node under test as `n` (wired to
 * `out`), and a Catch node scoped to it wired to `caught`.
 */
function flowAround(node, configs) {
  return [
    { id: 'f1', type: 'tab', label: 'test' },
    ...configs,
    { id: 'n', z: 'f1', server: 'cfg', ...node, wires: [['out']] },
    { id: 'out', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: [node.id || 'n'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
}

/**
 * Records what comes out at the helpers `out` and `caught`, and, by msg.seq,
 * the done() calls of node `nodeId` (Node-RED's _complete, which every done
 * goes through). `nodeId` null: a flow of several nodes under test, all wired
 * to `out` and `caught`; then only what comes out is recorded.
 */
function recordOutcomes(nodeId = 'n') {
  const sent = [];
  const caught = [];
  const dones = new Map();
  const waiting = [];
  const arrived = (list, kind) => (msg) => {
    list.push(msg);
    for (const resolve of waiting.splice(0)) resolve({ [kind]: msg });
  };
  helper.getNode('out').on('input', arrived(sent, 'sent'));
  helper.getNode('caught').on('input', arrived(caught, 'caught'));
  const node = nodeId === null ? null : helper.getNode(nodeId);
  if (node) {
    const complete = node._complete;
    node._complete = function (msg, err) {
      dones.set(msg.seq, (dones.get(msg.seq) || 0) + 1);
      return complete.call(this, msg, err);
    };
  }
  return {
    sent,
    caught,
    dones,
    get doneCount() {
      let total = 0;
      for (const count of dones.values()) total += count;
      return total;
    },
    /** The next msg to come out from now on, as { sent } or { caught }. */
    next() {
      return new Promise((resolve) => waiting.push(resolve));
    },
    /** Sends msgs seq 0..count-1 (each `make(seq)`, merged with { seq }). */
    inject(count, make = () => ({})) {
      for (let seq = 0; seq < count; seq++) node.receive({ ...make(seq), seq });
    },
    /**
     * Resolves once `count` msgs are done and have come out (sent or caught),
     * then lets a few more turns pass so a second outcome would show too.
     */
    async settled(count, limitMs) {
      await until(() => this.doneCount >= count && sent.length + caught.length >= count, { timeout: limitMs, message: `${count} msgs done` });
      await loopTurns(5);
    },
    /**
     * Problems with "exactly one outcome per msg": each of `count` msgs is
     * done exactly once, and either sent once or caught once, never both.
     */
    problems(count) {
      const found = [];
      const tally = (list) => list.reduce((m, msg) => m.set(msg.seq, (m.get(msg.seq) || 0) + 1), new Map());
      const sentBy = tally(sent);
      const caughtBy = tally(caught);
      for (let seq = 0; seq < count; seq++) {
        const outcomes = (sentBy.get(seq) || 0) + (caughtBy.get(seq) || 0);
        if (outcomes !== 1) found.push(`msg ${seq}: ${outcomes} outcomes`);
        if (dones.get(seq) !== 1) found.push(`msg ${seq}: done ${dones.get(seq) || 0} times`);
      }
      return found;
    },
  };
}

module.exports = { flowAround, recordOutcomes };
