'use strict';
// The Node the benchmarks run on. The package needs a newer Node than this
// machine's may be (engines.node, for undici 8): then a benchmark started on
// it runs again, same arguments, on the Node 22 test leg's (Node-RED 4.1, the
// devDependency, as scripts/test-all.sh's unit-node22 leg), installed if missing.
const { spawnSync } = require('child_process');
const runtimes = require('../../scripts/lib/runtimes');

const LEG = 'node22';

/** Returns when this Node will do; else runs `process.argv` again on the leg's Node and exits with its status. */
function ensureSupportedNode() {
  if (runtimes.supports()) return;
  console.log(`Node ${process.version} is older than the package supports (${runtimes.ENGINES_NODE}): running on ${runtimes.describe(LEG)} from .tmp/legs/${LEG}/`);
  runtimes.install(LEG, { stdio: 'pipe' });
  const out = spawnSync(runtimes.nodeBinary(LEG), [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(out.status ?? 1);
}

module.exports = { ensureSupportedNode };
