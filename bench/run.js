#!/usr/bin/env node
'use strict';
// `npm run bench`: every benchmark of this folder, one after the other, each
// section of README.md rewritten with its results, the machine and the date.
// Not part of the tests: nothing here passes or fails a build. On a Node the
// package does not support, it runs itself again on the Node 22 test leg's.
//   npm run bench [-- --only throughput,instructions,chart,watch,report,email,shared-budget,downloads] [--runs N] [--no-write]
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { nodeRedDir } = require('../scripts/lib/node-red');
const { ensureSupportedNode } = require('./lib/node-runtime');

const README = path.join(__dirname, 'README.md');
const BENCHMARKS = {
  throughput: (o) => require('./throughput').run(o.runs ? { slices: o.runs } : {}),
  instructions: (o) => require('./instructions').run(o.runs ? { slices: o.runs } : {}),
  chart: (o) => require('./chart').run(o.runs ? { runs: o.runs } : {}),
  watch: (o) => require('./watch').run(o.runs ? { polls: o.runs } : {}),
  report: (o) => require('./report').run(o.runs ? { runs: o.runs } : {}),
  email: (o) => require('./email').run(o.runs ? { runs: o.runs } : {}),
  'shared-budget': (o) => require('./shared-budget').run(o.runs ? { slices: o.runs } : {}),
};
const DOWNLOADS = path.join(__dirname, 'download.js');

function parseArgs(argv) {
  const options = { only: [...Object.keys(BENCHMARKS), 'downloads'], runs: undefined, write: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') options.only = argv[++i].split(',');
    else if (argv[i] === '--runs') options.runs = Number(argv[++i]);
    else if (argv[i] === '--no-write') options.write = false;
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run bench [-- --only throughput,instructions,chart,watch,report,email,shared-budget,downloads] [--runs N] [--no-write]`);
  }
  return options;
}

/** Where and when: numbers from a shared 2-core machine mean little without its load. */
function machine() {
  const cpus = os.cpus();
  const nodeRed = require(path.join(nodeRedDir(), 'package.json')).version;
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpus[0].model.trim()}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; Linux ${os.release()}; Node ${process.version}; Node-RED ${nodeRed}; load average (1/5/15 min) at start ${load}`;
}

/** Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`; false when README has no such markers. */
function writeSection(name, text) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const readme = fs.readFileSync(README, 'utf8');
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return false;
  fs.writeFileSync(README, `${readme.slice(0, from + start.length)}\n${text.trim()}\n${readme.slice(to)}`);
  return true;
}

async function main() {
  ensureSupportedNode();
  const options = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  for (const name of options.only) {
    const where = machine();
    console.log(`\n== ${name}`);
    let markdown;
    if (name === 'downloads') {
      // Another engineer's script: run as it is, its report kept as it prints it.
      if (!fs.existsSync(DOWNLOADS)) {
        console.log('bench/download.js does not exist yet: skipped');
        continue;
      }
      const out = spawnSync(process.execPath, [DOWNLOADS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
      process.stdout.write(out.stdout || '');
      if (out.status !== 0) {
        console.error(`bench/download.js failed (${out.signal || out.status})`);
        process.exitCode = 1;
        continue;
      }
      markdown = out.stdout;
    } else {
      const bench = BENCHMARKS[name];
      if (!bench) throw new Error(`no benchmark ${name}: ${Object.keys(BENCHMARKS).join(', ')}, downloads`);
      markdown = `Measured ${where}.\n\n${(await bench(options)).markdown}`;
      console.log(`\n${markdown}`);
    }
    if (options.write && !writeSection(name, markdown)) console.log(`(README.md has no bench:${name} markers: results not written)`);
  }
  console.log(`\nall done in ${Math.round((Date.now() - t0) / 1000)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
