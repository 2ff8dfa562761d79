'use strict';
// A flow around one node under test, and a record of what became of each msg
// sent into it: sent on, caught (done(err) -> Catch node), and how many times
// done was called. Each msg carries `seq` so its outcomes can be counted.
const { helper } = require('./runtime');
const { until } = require('./wait');
const { loopTurns } = require('./leaks');

/**
 * The flow: `configs`, the node under test as `n` (wired to `out`), and a
 * Catch node scoped to `n` wired to `caught`.
 */
function harness(node, configs) {
  return [
    ...configs,
    { id: 'n', server: 'cfg', ...node, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: [node.id || 'n'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

/**
 * Records, by msg.seq, what comes out of `n`: msgs sent on, msgs caught, and
 * done() calls (Node-RED's _complete, which every done goes through).
 */
function recordOutcomes(nodeId = 'n') {
  const sent = [];
  const caught = [];
  const dones = new Map();
  helper.getNode('out').on('input', (msg) => sent.push(msg));
  helper.getNode('caught').on('input', (msg) => caught.push(msg));
  const node = helper.getNode(nodeId);
  const complete = node._complete;
  node._complete = function (msg, err) {
    dones.set(msg.seq, (dones.get(msg.seq) || 0) + 1);
    return complete.call(this, msg, err);
  };
  return {
    sent,
    caught,
    dones,
    get doneCount() {
      let total = 0;
      for (const count of dones.values()) total += count;
      return total;
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

module.exports = { harness, recordOutcomes };
