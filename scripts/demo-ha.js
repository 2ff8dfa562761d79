#!/usr/bin/env node
'use strict';
// `npm run demo:ha`: more than one Node-RED, as FlowFuse's High Availability
// mode or Kubernetes replicas run it. A Redis of its own, the sample Comet
// server, the deploy hook, and two Node-RED processes with the same flow
// (examples/deploy-on-promotion.json, its config given the Redis) on two
// ports. Every 30 s churn-model gets a new production version: one process
// polls, and the hook counts one deploy per promotion, not two. Kill the
// process that polls (its pid is printed) to see the other take over.
//   PORT    the first editor's port (default 1880; the second is PORT + 1)
const fs = require('node:fs');
const path = require('node:path');
const { makeUserDir, linkPackage, writeSettings, startNodeRed } = require('./lib/node-red');
const { ensureBuilt, chooseRuntime } = require('./lib/demo-runtime');
const { combineExamples, readExamples } = require('./lib/examples');
const { haveRedis, startRedis } = require('./lib/redis-server');
const { startDeployHook } = require('./lib/deploy-hook');
const { createSampleServer } = require('../sample-server');

const SAMPLE_PORT = 8088;
const SAMPLE_KEY = 'sample-key';
const CONFIG_ID = 'comet-demo-config';
const WS = 'ml-team';
const MODEL = 'churn-model';
const EXAMPLE = 'deploy-on-promotion.json';
/** The watch polls this often here (the example's 60 s would make a person wait). */
const INTERVAL_S = 10;
const PROMOTE_EVERY_MS = 30000;

/** The example's flow for both processes: the config names the Redis, the watch polls every INTERVAL_S. */
function flows(sample, redis) {
  const config = { id: CONFIG_ID, type: 'comet-config', name: 'sample Comet', baseUrl: sample.url, workspace: WS, redisUrl: redis.url, concurrency: '', timeout: '', retries: '', rate: '' };
  const flow = combineExamples(config, readExamples().filter((example) => example.file === EXAMPLE));
  return flow.map((node) => (node.type === 'comet-model-watch' ? { ...node, interval: String(INTERVAL_S) } : node));
}

/** Every PROMOTE_EVERY_MS a new version of churn-model, straight to production: one change, one deploy. */
function startPromotions(sample, log) {
  let n = 0;
  const timer = setInterval(() => {
    n++;
    const version = `2.${n}.0`;
    sample.registry.addVersion(WS, MODEL, version, { stages: ['production'], comment: `demo:ha promotion ${n}` });
    log(`promotion #${n}: ${MODEL} ${version} created in production`);
  }, PROMOTE_EVERY_MS);
  return { count: () => n, stop: () => clearInterval(timer) };
}

async function main() {
  if (!haveRedis()) throw new Error('redis-server is missing: install it (Debian: apt-get install redis-server) and run again.');
  ensureBuilt();
  const runtime = chooseRuntime();
  const port = Number(process.env.PORT) || 1880;
  const redis = await startRedis();
  const sample = await createSampleServer({ port: SAMPLE_PORT });
  const hook = await startDeployHook({ log: (line) => console.log(`  Deploy hook:  ${line}`) });
  const userDirs = [makeUserDir('node-red-comet-ha-1-'), makeUserDir('node-red-comet-ha-2-')];
  const nodeReds = [];
  let promotions;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    promotions?.stop();
    await Promise.all(nodeReds.map((nodeRed) => nodeRed.stop()));
    await Promise.all([hook.close(), sample.close(), redis.remove()]);
    for (const dir of userDirs) fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  for (const [i, userDir] of userDirs.entries()) {
    linkPackage(userDir);
    writeSettings(userDir, port + i);
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows(sample, redis), null, 2));
  }
  // Both at once, as a deploy to FlowFuse HA or a Kubernetes rollout starts them. The key comes as COMET_API_KEY.
  nodeReds.push(...(await Promise.all(userDirs.map((userDir, i) => startNodeRed({ userDir, port: port + i, ...runtime, env: { COMET_API_KEY: SAMPLE_KEY } })))));
  for (const nodeRed of nodeReds) {
    nodeRed.child.once('exit', (code, signal) => {
      if (!stopping) console.log(`  Node-RED ${nodeRed.url} stopped (${signal || code}): the other takes over its watch within two intervals.`);
    });
  }
  promotions = startPromotions(sample, (line) => console.log(`  Sample Comet: ${line}`));
  console.log('');
  for (const nodeRed of nodeReds) console.log(`  Node-RED:     ${nodeRed.url} (pid ${nodeRed.child.pid}), the same flow: ${EXAMPLE}, watch every ${INTERVAL_S} s`);
  console.log(`  Redis:        ${redis.url} (what they share: who polls, what was seen, who sent which change)`);
  console.log(`  Comet:        sample server at ${sample.url}`);
  console.log(`  Deploy hook:  ${hook.url}: expect one deploy per promotion (every ${PROMOTE_EVERY_MS / 1000} s)`);
  console.log('  Ctrl-C stops everything.');
  console.log('');
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
