'use strict';
// What the demos (scripts/demo.js, scripts/demo-ha.js) run on: a built
// checkout, and a Node and Node-RED this package supports.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, nodeRedDir } = require('./node-red');
const runtimes = require('./runtimes');

/** A clone installed with --ignore-scripts has no build yet. */
function ensureBuilt() {
  const built = ['nodes/comet-config.js', 'resources/catalogue.js'].every((file) => fs.existsSync(path.join(ROOT, file)));
  if (!built) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The Node and Node-RED to run: this Node and the devDependency when the
 * package supports this Node, else the default test leg's (installed if
 * missing, npm's output shown only when it fails), said in one line.
 */
function chooseRuntime() {
  if (runtimes.supports()) return { node: process.execPath, nodeRed: nodeRedDir() };
  const leg = runtimes.legOf(runtimes.DEFAULT_LEG);
  const where = path.relative(ROOT, leg.dir);
  console.log(`Node ${process.version} is older than this package supports (${runtimes.ENGINES_NODE}): the demo runs Node-RED ${leg.nodeRed} on Node ${leg.node} from ${where}/ (the npm registry's node package${runtimes.isReady(leg.name) ? '' : ', installing it there now'}).`);
  try {
    runtimes.install(leg.name, { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`Could not install Node ${leg.node} and Node-RED ${leg.nodeRed} in ${where}/: ${err.message}\n${err.stdout || ''}${err.stderr || ''}`, { cause: err });
  }
  return { node: runtimes.nodeBinary(leg.name), nodeRed: runtimes.nodeRedDir(leg.name) };
}

module.exports = { ensureBuilt, chooseRuntime };
