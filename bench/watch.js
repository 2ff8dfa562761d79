'use strict';
// Benchmark 3: what `comet-model-watch` costs per poll of a workspace of 500
// models, with none and with one changed since the last poll: requests sent
// (the goal: 1 with none changed, 2 with one) and the CPU and time of the
// Node-RED process for the poll. Polls are asked for with an input msg; a
// Complete node says when the poll is over.
const path = require('path');
const { startChild } = require('./lib/child');
const { benchFlow, exitNode, runAlone } = require('./lib/flow');
const { median, fmt, table } = require('./lib/stats');

const LIB = path.join(__dirname, 'lib');

const WATCH_NODES = [
  // An hour between timed polls: only the polls the benchmark asks for run.
  { id: 'watch', type: 'comet-model-watch', server: 'cfg', workspace: 'ml-team', modelName: '', interval: '3600', emitInitial: false, wires: [['events']] },
  exitNode('events'),
  { id: 'watch-complete', type: 'complete', scope: ['watch'], uncaught: false, wires: [['poll-done']] },
  { id: 'watch-catch', type: 'catch', scope: ['watch'], uncaught: false, wires: [['poll-done']] },
  exitNode('poll-done'),
];

async function run({ models = 500, polls = 5, log = console.log } = {}) {
  const server = await startChild(path.join(LIB, 'sample-server-child.js'), { args: [JSON.stringify({ generateModels: models })] });
  let red;
  try {
    const { apiKey } = server.ready;
    const generated = server.ready.models.length;
    red = await startChild(path.join(LIB, 'nodered-child.js'), { args: [JSON.stringify({ flows: benchFlow(server.ready, WATCH_NODES), credentials: { cfg: { apiKey } } })] });
    const poll = async () => {
      await server.call('clearRequests');
      const res = await red.call('once', { entry: 'watch', exit: 'poll-done', msg: { payload: 'poll' } });
      if (res.error) throw new Error(`poll failed: ${res.error}`);
      const requests = await server.call('requests');
      return { ...res, requests: requests.length, paths: requests, events: await red.call('takeCount', 'events') };
    };
    // The first poll at start reads every model; this one waits for it, and the memory is then warm.
    await poll();
    const results = { unchanged: [], oneChanged: [] };
    for (let i = 0; i < polls; i++) {
      const quiet = await poll();
      results.unchanged.push(quiet);
      await server.call('setStages', { workspace: 'ml-team', modelName: server.ready.models[i % generated], version: '1.0.0', stages: [`bench-${i}`] });
      const changed = await poll();
      results.oneChanged.push(changed);
      log(`  poll ${i + 1}/${polls}  unchanged: ${quiet.requests} req, ${fmt(quiet.cpuMs)} ms CPU, ${quiet.events} events | one changed: ${changed.requests} req (${changed.paths.join(', ')}), ${fmt(changed.cpuMs)} ms CPU, ${changed.events} events`);
    }
    const summary = Object.fromEntries(
      Object.entries(results).map(([k, list]) => [
        k,
        { requests: median(list.map((x) => x.requests)), maxRequests: Math.max(...list.map((x) => x.requests)), cpuMs: median(list.map((x) => x.cpuMs)), ms: median(list.map((x) => x.ms)), events: median(list.map((x) => x.events)) },
      ]),
    );
    return { summary, models, polls, markdown: report(summary, { total: server.ready.workspaceModels, generated, polls }) };
  } finally {
    if (red) await red.stop();
    await server.stop();
  }
}

function report(s, { total, generated, polls }) {
  const row = (label, x, goal) => [label, `${fmt(x.requests)} (max ${x.maxRequests})`, String(goal), x.maxRequests <= goal ? 'met' : 'NOT met', fmt(x.cpuMs), fmt(x.ms), fmt(x.events)];
  return [
    `A workspace of ${total} registry models (the sample's ${total - generated} and ${generated} generated ones), every model watched, median of ${polls} polls each; CPU and time are the Node-RED process's for one poll.`,
    '',
    table(['poll', 'requests', 'goal', '', 'CPU ms', 'time ms', 'msgs sent'], [row('none changed', s.unchanged, 1), row('one changed (a stage set)', s.oneChanged, 2)]),
  ].join('\n');
}

module.exports = { run };

if (require.main === module) runAlone(run);
