'use strict';
// Benchmark 3: what `comet-model-watch` costs per poll of a workspace of 500
// models, with none and with one changed since the last poll: requests sent
// (the goal: 1 with none changed, 2 with one) and the CPU and time of the
// Node-RED process for the poll, with the memory in a memory store and in a
// persistent one (Node-RED's localfilesystem, where the watch also keeps its
// own file, written to the disk before a msg goes out, and again after).
// Polls are asked for with an input msg; a Complete node says when the poll
// is over.
const path = require('path');
const { startChild } = require('./lib/child');
const { benchFlow, exitNode, runAlone } = require('./lib/flow');
const { median, fmt, table } = require('./lib/stats');

const LIB = path.join(__dirname, 'lib');

/** Where the watch keeps what it saw: its `store`, and the settings' contextStorage. */
const STORES = [
  { name: 'memory', label: 'memory store', store: '', contextStorage: undefined },
  { name: 'file', label: 'localfilesystem (and its own file)', store: 'file', contextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem' } } },
];

const watchNodes = (store) => [
  // An hour between timed polls: only the polls the benchmark asks for run.
  { id: 'watch', type: 'comet-model-watch', server: 'cfg', workspace: 'ml-team', modelName: '', interval: '3600', emitInitial: false, store, wires: [['events']] },
  exitNode('events'),
  { id: 'watch-complete', type: 'complete', scope: ['watch'], uncaught: false, wires: [['poll-done']] },
  { id: 'watch-catch', type: 'catch', scope: ['watch'], uncaught: false, wires: [['poll-done']] },
  exitNode('poll-done'),
];

async function run({ models = 500, polls = 5, log = console.log } = {}) {
  const server = await startChild(path.join(LIB, 'sample-server-child.js'), { args: [JSON.stringify({ generateModels: models })] });
  try {
    const summaries = {};
    for (const store of STORES) {
      log(` ${store.label}`);
      summaries[store.name] = await pollsOf(server, store, { polls, log });
    }
    const generated = server.ready.models.length;
    return { summary: summaries, models, polls, markdown: report(summaries, { total: server.ready.workspaceModels, generated, polls }) };
  } finally {
    await server.stop();
  }
}

/** The polls of a watch whose memory is in `store`, in a Node-RED of its own: their medians, none changed and one changed. */
async function pollsOf(server, store, { polls, log }) {
  let red;
  try {
    const { apiKey } = server.ready;
    const generated = server.ready.models.length;
    const options = { flows: benchFlow(server.ready, watchNodes(store.store)), credentials: { cfg: { apiKey } }, settings: { contextStorage: store.contextStorage } };
    red = await startChild(path.join(LIB, 'nodered-child.js'), { args: [JSON.stringify(options)] });
    // Models of its own for each store, from a multiple of 3 on (the generated models' shapes repeat every 3): each store's polls see alike changes.
    const block = STORES.indexOf(store) * 3 * polls;
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
      await server.call('setStages', { workspace: 'ml-team', modelName: server.ready.models[(block + i) % generated], version: '1.0.0', stages: [`bench-${i}`] });
      const changed = await poll();
      results.oneChanged.push(changed);
      log(`  poll ${i + 1}/${polls}  unchanged: ${quiet.requests} req, ${fmt(quiet.cpuMs)} ms CPU, ${quiet.events} events | one changed: ${changed.requests} req (${changed.paths.join(', ')}), ${fmt(changed.cpuMs)} ms CPU, ${changed.events} events`);
    }
    return Object.fromEntries(
      Object.entries(results).map(([k, list]) => [
        k,
        { requests: median(list.map((x) => x.requests)), maxRequests: Math.max(...list.map((x) => x.requests)), cpuMs: median(list.map((x) => x.cpuMs)), ms: median(list.map((x) => x.ms)), events: median(list.map((x) => x.events)) },
      ]),
    );
  } finally {
    if (red) await red.stop();
  }
}

function report(summaries, { total, generated, polls }) {
  const row = (store, label, x, goal) => [store.label, label, `${fmt(x.requests)} (max ${x.maxRequests})`, String(goal), x.maxRequests <= goal ? 'met' : 'NOT met', fmt(x.cpuMs), fmt(x.ms), fmt(x.events)];
  const rows = STORES.flatMap((store) => [row(store, 'none changed', summaries[store.name].unchanged, 1), row(store, 'one changed (a stage set)', summaries[store.name].oneChanged, 2)]);
  const ratio = (field) => fmt(summaries.file.oneChanged[field] / summaries.memory.oneChanged[field]);
  return [
    `A workspace of ${total} registry models (the sample's ${total - generated} and ${generated} generated ones), every model watched, median of ${polls} polls each; CPU and time are the Node-RED process's for one poll.`,
    '',
    table(['store', 'poll', 'requests', 'goal', '', 'CPU ms', 'time ms', 'msgs sent'], rows),
    '',
    `A poll with a change, its memory kept in its own file (written and flushed to the disk twice: before the msg goes out, and after) against a memory store: ${ratio('cpuMs')}x the CPU, ${ratio('ms')}x the time.`,
  ].join('\n');
}

module.exports = { run };

if (require.main === module) runAlone(run);
