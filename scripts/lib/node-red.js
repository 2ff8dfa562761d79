'use strict';
// A real Node-RED in its own process, in a user dir we make: the demo
// (scripts/demo.js) and the tests that meet the package as a user does
// (test/package-load.test.js, test/editor/) all start it this way.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = require(path.join(ROOT, 'package.json'));

/**
 * The Node-RED install to run: COMET_TEST_NODE_RED when set (test-all.sh sets
 * it for every leg: .tmp/legs/<leg>/ or the devDependency), else this repo's
 * devDependency.
 */
function nodeRedDir() {
  const main = require.resolve(process.env.COMET_TEST_NODE_RED || 'node-red');
  let dir = path.dirname(main);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A fresh, empty user dir under the OS temp dir. */
function makeUserDir(prefix = 'node-red-comet-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-red-user', private: true, dependencies: {} }, null, 2));
  return dir;
}

/** Makes this checkout an installed module of `userDir`, as `npm link` would (the demo: edits show on restart). */
function linkPackage(userDir) {
  const target = path.join(userDir, 'node_modules', ...PACKAGE.name.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(ROOT, target, 'dir');
  addDependency(userDir, `file:${ROOT}`);
}

/**
 * Installs the package the way a user gets it: `npm pack` of this checkout
 * (already built; scripts are skipped so a half-edited tree elsewhere cannot
 * break the pack), then `npm install <tarball> [others...]` in `userDir`
 * (`others`: more packages for its flows, e.g. dashboardSpec()). `from`:
 * another built copy of the package to pack (a benchmark's baseline).
 * `npmArgs`: more for npm install (`--omit=optional`: as on a platform with
 * no build of the optional dependencies). Returns the tarball's path.
 */
function installPackedPackage(userDir, others = [], from = ROOT, npmArgs = []) {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', userDir], { cwd: from, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = path.join(userDir, JSON.parse(out)[0].filename);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--prefer-offline', ...npmArgs, tarball, ...others], { cwd: userDir, stdio: 'pipe' });
  return tarball;
}

/** FlowFuse Dashboard, which the dashboard example uses, in the range this checkout is tested with (its devDependency). */
const DASHBOARD = '@flowfuse/node-red-dashboard';
function dashboardSpec() {
  return `${DASHBOARD}@${PACKAGE.devDependencies[DASHBOARD]}`;
}

/**
 * Installs FlowFuse Dashboard into `userDir` from the npm registry (npm's
 * cache first). Call it before linkPackage: npm then has nothing but the
 * dashboard to resolve, and the linked checkout is not part of the install.
 */
function installDashboard(userDir) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', dashboardSpec()], { cwd: userDir, stdio: 'pipe' });
}

function addDependency(userDir, spec) {
  const file = path.join(userDir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  pkg.dependencies = { ...pkg.dependencies, [PACKAGE.name]: spec };
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
}

/**
 * Writes `userDir/settings.js`: editor on 127.0.0.1:`port`, credentials
 * encrypted with a secret of ours (else Node-RED warns that it made one up),
 * no welcome tour and no update check (the machine may have no internet),
 * plus `extra`.
 */
function writeSettings(userDir, port, extra = {}) {
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: 'node-red-comet-local',
    editorTheme: { tours: false },
    telemetry: { enabled: false, updateNotification: false },
    logging: { console: { level: 'info', metrics: false, audit: false } },
    ...extra,
  };
  const file = path.join(userDir, 'settings.js');
  fs.writeFileSync(file, `// Written by scripts/lib/node-red.js\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`);
  return file;
}

/**
 * Starts Node-RED (red.js of `nodeRed`, default `nodeRedDir()`, on `node`,
 * default this Node) with `userDir` and its settings.js. Resolves once flows
 * have started with { url, port, child, log(), stop() }; rejects with the log
 * if it exits first. `echo` copies its output to this process's.
 */
function startNodeRed({ userDir, port, node = process.execPath, nodeRed = nodeRedDir(), env = {}, echo = false, timeoutMs = 60000 }) {
  const dir = nodeRed;
  const redJs = path.join(dir, require(path.join(dir, 'package.json')).bin['node-red']);
  const child = spawn(node, [redJs, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    cwd: userDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Node-RED must not outlive whoever started it, even one that crashes.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
  let output = '';
  const url = `http://127.0.0.1:${port}/`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`Node-RED did not start flows in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (echo) process.stdout.write(chunk);
      // Node-RED 5 may start the flows before its HTTP server listens: wait for both.
      if (/\bStarted flows\b/.test(output) && /\bServer now running at\b/.test(output)) {
        clearTimeout(timer);
        resolve({ url, port, child, log: () => output, stop });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Node-RED exited (${signal || code}) before starting flows:\n${output}`));
    });
  });
}

module.exports = { ROOT, PACKAGE, nodeRedDir, freePort, makeUserDir, linkPackage, installPackedPackage, dashboardSpec, installDashboard, writeSettings, startNodeRed };
