'use strict';
// A watch node in a real Node-RED process that the test kills with SIGKILL
// and starts again, as a crash would: this checkout installed in a fresh user
// dir, the context stores as settings.js sets them, the sample server in this
// process, and every msg the watch sends posted by the flow to a hook here.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { until } = require('../helpers/wait');
const { freePort, makeUserDir, linkPackage, writeSettings, startNodeRed } = require('../../scripts/lib/node-red');

/** Node-RED's localfilesystem store as its settings.js documents it, besides the default memory store: no flushInterval, so 30 s. */
const FILE_STORE = { default: { module: 'memory' }, file: { module: 'localfilesystem' } };

/** The longest a start of Node-RED may take (a loaded machine). */
const START_TIMEOUT_MS = 60000;

/**
 * The hook: an HTTP server on 127.0.0.1 that keeps each msg the flow posts
 * to it ({ eventId, msg }), in the order they came.
 */
async function startHook() {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    url: `http://127.0.0.1:${server.address().port}/hook`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * The flow: the config node for `sample`, watch node `w` of `type` with
 * `props`, polling every `interval` s, and a function and an http request node
 * that post each msg it sends (all of it but _msgid) to the hook.
 */
function crashFlow(sample, hook, type, props) {
  return [
    { id: 'tab', type: 'tab', label: 'crash' },
    { id: 'cfg', type: 'comet-config', name: 'sample', baseUrl: sample.url, workspace: 'ml-team', credentials: { apiKey: sample.apiKey } },
    { id: 'w', type, z: 'tab', x: 120, y: 60, server: 'cfg', workspace: 'ml-team', interval: '0.5', ...props, wires: [['fmt']] },
    {
      id: 'fmt',
      type: 'function',
      z: 'tab',
      x: 320,
      y: 60,
      func: 'const { _msgid, ...sent } = msg;\nreturn { payload: { eventId: msg.eventId, msg: sent } };',
      outputs: 1,
      wires: [['post']],
    },
    { id: 'post', type: 'http request', z: 'tab', x: 520, y: 60, method: 'POST', ret: 'txt', paytoqs: 'ignore', url: hook.url, wires: [] },
  ];
}

/**
 * Mocha hooks and helpers for one crashing Node-RED per test. Returns a rig:
 * `start(contextStorage, type, props)` makes the user dir and deploys the
 * flow; `kill()` sends SIGKILL and waits for the process to end; `restart()`
 * starts it again on the same user dir (the flows from its file);
 * `received` the msgs the hook got; `memoryFile()` the watch's own file.
 */
function useCrashRig(sampleContext) {
  const rig = {
    userDir: undefined,
    nodeRed: undefined,
    hook: undefined,
    port: undefined,
    get received() {
      return rig.hook.received;
    },
    async start(contextStorage, type, props) {
      rig.userDir = makeUserDir('node-red-comet-crash-');
      linkPackage(rig.userDir);
      rig.port = await freePort();
      writeSettings(rig.userDir, rig.port, { contextStorage, cometWatchMinInterval: 0.1 });
      rig.hook = await startHook();
      rig.nodeRed = await startNodeRed({ userDir: rig.userDir, port: rig.port, timeoutMs: START_TIMEOUT_MS });
      const deployed = await fetch(`${rig.nodeRed.url}flows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify(crashFlow(sampleContext.server, rig.hook, type, props)),
      });
      if (deployed.status !== 204) throw new Error(`deploy answered ${deployed.status}`);
    },
    async kill() {
      const { child } = rig.nodeRed;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      rig.nodeRed = await startNodeRed({ userDir: rig.userDir, port: rig.port, timeoutMs: START_TIMEOUT_MS });
    },
    /** The watch's own file (what it has seen and its outbox), parsed; undefined while there is none. */
    memoryFile(key) {
      const file = path.join(rig.userDir, 'comet-watches', `${key}-w.json`);
      return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
    },
    /** What Node-RED's localfilesystem store has written of the watch node's context; undefined while it wrote nothing. */
    contextFile() {
      const file = path.join(rig.userDir, 'context', 'tab', 'w.json');
      return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
    },
    /** Resolves once the hook has got `count` msgs in all. */
    receivedCount(count, message = `${count} msgs at the hook`) {
      return until(() => rig.received.length >= count, { timeout: 20000, message });
    },
  };
  afterEach(async () => {
    if (rig.nodeRed) await rig.kill();
    if (rig.hook) await rig.hook.close();
    if (rig.userDir) fs.rmSync(rig.userDir, { recursive: true, force: true });
    Object.assign(rig, { nodeRed: undefined, hook: undefined, userDir: undefined });
  });
  return rig;
}

module.exports = { FILE_STORE, useCrashRig };
