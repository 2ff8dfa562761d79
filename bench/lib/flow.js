'use strict';
// The flows the benchmarks deploy: one tab, a config node `cfg` for the sample
// server, and the nodes measured, each ending in an exit node where the
// benchmark takes its msgs (nodered-child.js replaces the exit's receive).

const Z = 'bench';

/** One tab: config node `cfg` (with `config` settings, e.g. concurrency) and `nodes`, laid out in rows. */
function benchFlow({ url }, nodes, config = {}) {
  return [
    { id: Z, type: 'tab', label: 'bench' },
    { id: 'cfg', type: 'comet-config', name: 'sample', baseUrl: url, workspace: 'ml-team', concurrency: '', timeout: '', retries: '', ...config },
    // Flow nodes need x and y: without them Node-RED takes a node for a config node.
    ...nodes.map((node, row) => ({ z: Z, x: 300, y: 60 * (row + 1), ...node })),
  ];
}

/** `node`'s output and its failures (through a Catch node) wired to one exit node, `<id>-out`. */
function measured(node) {
  const exit = `${node.id}-out`;
  return [{ name: node.id, ...node, wires: [[exit]] }, { id: `${node.id}-catch`, type: 'catch', scope: [node.id], uncaught: false, wires: [[exit]] }, exitNode(exit)];
}

function exitNode(id) {
  return { id, type: 'debug', active: false, tosidebar: false, console: false, complete: 'false', wires: [] };
}

/** `node bench/<name>.js`: runs the benchmark alone and prints its table. */
function runAlone(run, options) {
  run(options).then(
    (result) => console.log(`\n${result.markdown}`),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

/** The slice knobs of a benchmark run alone: BENCH_SLICES, BENCH_COUNT, BENCH_ONLY (comma-separated variants). */
function sliceOptions(defaults) {
  return {
    slices: Number(process.env.BENCH_SLICES) || defaults.slices,
    count: Number(process.env.BENCH_COUNT) || defaults.count,
    only: process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined,
  };
}

module.exports = { benchFlow, measured, exitNode, runAlone, sliceOptions };
