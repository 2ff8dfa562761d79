'use strict';
// The Node + Node-RED pairs the package is tested on (scripts/test-all.sh) and
// the one the demo falls back to when this machine's Node is too old
// (scripts/demo.js). Each Node comes from the npm registry's `node` package
// (its preinstall fetches the binary, so npm must allow that script), in a
// folder of its own under .tmp/legs/, so the project's node_modules keeps the
// Node-RED of its devDependency.
//
//   node scripts/lib/runtimes.js install <leg>   installs it if missing (npm's output on stdout)
//   node scripts/lib/runtimes.js node <leg>      prints the path of its node binary
//   node scripts/lib/runtimes.js node-red <leg>  prints its Node-RED folder
//   node scripts/lib/runtimes.js describe <leg>  prints "Node v24.x + Node-RED 5.0.x"
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const LEGS_DIR = path.join(ROOT, '.tmp', 'legs');

/**
 * Majors only: a leg gets the newest release of its line. `nodeRed: null` runs
 * the project's own Node-RED (the devDependency, 4.1).
 */
const LEGS = {
  node22: { node: '22', nodeRed: null },
  node24: { node: '24', nodeRed: '5' },
  node26: { node: '26', nodeRed: '5' },
};

/** The leg the demo runs on when this Node is too old, and the editor leg's. */
const DEFAULT_LEG = 'node24';

function legOf(name) {
  const leg = LEGS[name];
  if (!leg) throw new Error(`no test leg "${name}" (legs: ${Object.keys(LEGS).join(', ')})`);
  return { name, dir: path.join(LEGS_DIR, name), ...leg };
}

function nodeBinary(name) {
  return path.join(legOf(name).dir, 'node_modules', '.bin', 'node');
}

/** The Node-RED folder the leg runs: its own, or the project's devDependency. */
function nodeRedDir(name) {
  const leg = legOf(name);
  return leg.nodeRed ? path.join(leg.dir, 'node_modules', 'node-red') : path.join(ROOT, 'node_modules', 'node-red');
}

function nodeRedVersion(name) {
  const file = path.join(nodeRedDir(name), 'package.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : undefined;
}

function nodeVersion(name) {
  try {
    return execFileSync(nodeBinary(name), ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Is the leg's Node (and Node-RED, when it has its own) installed, of the right majors? */
function isReady(name) {
  const leg = legOf(name);
  const node = nodeVersion(name);
  if (!node || !node.startsWith(`v${leg.node}.`)) return false;
  if (!leg.nodeRed) return true;
  const nodeRed = nodeRedVersion(name);
  return !!nodeRed && nodeRed.split('.')[0] === leg.nodeRed;
}

/**
 * Installs the leg unless it is ready: `npm install node@N [node-red@M]` in
 * its folder, whose package.json allows the `node` package's install script.
 * `stdio` is npm's (default: inherit). Throws when npm fails or the result is
 * not what the leg needs.
 */
function install(name, { stdio = 'inherit' } = {}) {
  const leg = legOf(name);
  if (isReady(name)) return leg;
  fs.rmSync(leg.dir, { recursive: true, force: true });
  fs.mkdirSync(leg.dir, { recursive: true });
  const pkg = {
    name: `test-leg-${name}`,
    private: true,
    description: `Node ${leg.node}${leg.nodeRed ? ` + Node-RED ${leg.nodeRed}` : ''} for scripts/test-all.sh and scripts/demo.js`,
    allowScripts: { node: true },
  };
  fs.writeFileSync(path.join(leg.dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const specs = [`node@${leg.node}`, ...(leg.nodeRed ? [`node-red@${leg.nodeRed}`] : [])];
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', ...specs], { cwd: leg.dir, stdio });
  if (!isReady(name)) throw new Error(`${specs.join(' ')} installed in ${leg.dir}, but it does not run Node ${leg.node}${leg.nodeRed ? ` with Node-RED ${leg.nodeRed}` : ''}`);
  return leg;
}

/** package.json's engines.node: the Nodes the package supports. */
const ENGINES_NODE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node;

/** Does `version` (default this Node's) satisfy engines.node? Read with Node-RED's own semver, as npm reads it. */
function supports(version = process.version) {
  const nodeRed = path.dirname(require.resolve('node-red/package.json', { paths: [ROOT] }));
  const semver = require(require.resolve('semver', { paths: [nodeRed] }));
  return semver.satisfies(version, ENGINES_NODE);
}

function describe(name) {
  return `Node ${nodeVersion(name) || `${legOf(name).node} (not installed)`} + Node-RED ${nodeRedVersion(name) || `${legOf(name).nodeRed} (not installed)`}`;
}

module.exports = { LEGS, DEFAULT_LEG, ENGINES_NODE, legOf, nodeBinary, nodeRedDir, nodeVersion, nodeRedVersion, isReady, install, supports, describe };

if (require.main === module) {
  const [command, name] = process.argv.slice(2);
  const commands = {
    install: () => install(name),
    node: () => console.log(nodeBinary(name)),
    'node-red': () => console.log(nodeRedDir(name)),
    describe: () => console.log(describe(name)),
  };
  try {
    if (!commands[command] || !name) throw new Error(`usage: node scripts/lib/runtimes.js ${Object.keys(commands).join('|')} <${Object.keys(LEGS).join('|')}>`);
    commands[command]();
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
