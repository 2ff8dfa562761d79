#!/usr/bin/env node
'use strict';
// `npm start`: a real Node-RED with this checkout installed and every flow
// of examples/ loaded (one tab each), talking to the sample Comet server on
// 127.0.0.1:8088, or to the real Comet when COMET_API_KEY is set; the
// e-mail example sends to a local mail server (scripts/lib/demo-mail.js).
// Node-RED is the devDependency (4.1) on this Node when the package supports
// this Node (package.json engines); on an older Node it is the Node 24 test
// leg's pair, Node-RED 5 on Node 24 from the npm registry's `node` package in
// .tmp/legs/node24/ (scripts/lib/runtimes.js, installed there once).
//   PORT            the editor's port (default 1880)
//   COMET_API_KEY   use Comet itself with this key (COMET_URL_OVERRIDE and
//                   COMET_WORKSPACE are honoured as by the config node)
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { makeUserDir, linkPackage, installDashboard, writeSettings, startNodeRed } = require('./lib/node-red');
const { ensureBuilt, chooseRuntime } = require('./lib/demo-runtime');
const { combineExamples } = require('./lib/examples');
const { createSampleServer } = require('../sample-server');
const { startDemoActivity } = require('../sample-server/demo-activity');
const { startDemoMail } = require('./lib/demo-mail');
const { startDeployHook } = require('./lib/deploy-hook');

const SAMPLE_PORT = 8088;
const SAMPLE_KEY = 'sample-key';
const CONFIG_ID = 'comet-demo-config';

async function main() {
  ensureBuilt();
  const runtime = chooseRuntime();
  const realComet = Boolean((process.env.COMET_API_KEY || '').trim());
  const sample = realComet ? null : await createSampleServer({ port: SAMPLE_PORT });
  // A minute from now a run finishes and a model version goes to production: the watch flows fire on their own.
  const stopActivity = sample ? startDemoActivity(sample, { log: (line) => console.log(`  Sample Comet:     ${line}`) }) : () => {};
  const port = Number(process.env.PORT) || 1880;
  // The deploy example's hook: it answers, and counts the deploys it got.
  const hook = await startDeployHook({ log: (line) => console.log(`  Deploy hook:      ${line}`) }).catch((err) => {
    console.log(`  Deploy hook:      not started (${err.code || err.message}): the deploy example's last step will fail`);
    return null;
  });

  const userDir = makeUserDir('node-red-comet-demo-');
  // The dashboard example's nodes, from the npm registry (npm's cache once it has them).
  console.log('Installing FlowFuse Dashboard into the demo user dir...');
  installDashboard(userDir);
  // The e-mail example's node, and a mail server for it to send to.
  const mail = await startDemoMail(userDir);
  linkPackage(userDir);
  writeSettings(userDir, port);
  // No key in the flow: the config node falls back to COMET_API_KEY. On the
  // real Comet, COMET_URL_OVERRIDE and COMET_WORKSPACE are honoured the same way.
  const config = {
    id: CONFIG_ID,
    type: 'comet-config',
    name: sample ? 'sample Comet' : 'Comet',
    baseUrl: sample ? sample.url : 'https://www.comet.com',
    workspace: sample ? 'ml-team' : '',
    concurrency: '',
    timeout: '',
    retries: '',
  };
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(mail.withLocalMail(combineExamples(config)), null, 2));

  let nodeRed;
  let stopping = false;
  // Ctrl-C reaches Node-RED too (same process group), so this may run twice.
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    if (nodeRed) await nodeRed.stop();
    stopActivity();
    await mail.close();
    if (hook) await hook.close();
    if (sample) await sample.close();
    fs.rmSync(userDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  // The sample key reaches the config node the way a real one may: COMET_API_KEY.
  nodeRed = await startNodeRed({ userDir, port, ...runtime, echo: true, env: sample ? { COMET_API_KEY: SAMPLE_KEY } : {} });
  nodeRed.child.once('exit', (code) => {
    if (!stopping) console.error(`Node-RED stopped (${code}).`);
    nodeRed = null;
    shutdown();
  });
  console.log('');
  const nodeRedVersion = JSON.parse(fs.readFileSync(path.join(runtime.nodeRed, 'package.json'), 'utf8')).version;
  const nodeVersion = execFileSync(runtime.node, ['-v'], { encoding: 'utf8' }).trim();
  console.log(`  Node-RED editor:  ${nodeRed.url} (Node-RED ${nodeRedVersion} on Node ${nodeVersion})`);
  console.log(sample ? `  Comet:            sample server at ${sample.url} (key ${SAMPLE_KEY}, workspace ml-team)` : '  Comet:            the real one, with COMET_API_KEY');
  console.log(`  Flows:            every file of examples/, one tab each (user dir ${userDir})`);
  console.log(`  Dashboard:        ${nodeRed.url}dashboard (the dashboard example, FlowFuse Dashboard)`);
  console.log(`  Mail:             ${mail.url} (what the e-mail example sent, as a mail client shows it)`);
  if (hook) console.log(`  Deploy hook:      ${hook.url} (the deploy example's; it counts the deploys it gets)`);
  console.log('  Ctrl-C stops them all.');
  console.log('');
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
