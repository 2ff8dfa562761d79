'use strict';
// A redis-server of our own (Debian's package) on a free 127.0.0.1 port, in
// a temporary directory: the tests of several Node-RED processes sharing one
// Redis start one each (test/helpers/redis.js), `npm run demo:ha` one for
// its two Node-REDs.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./node-red');

const REDIS_SERVER = process.env.REDIS_SERVER || 'redis-server';

/** Whether redis-server can be run here. */
function haveRedis() {
  try {
    execFileSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a redis-server with an append-only file written on every change
 * (what the README asks of a production Redis, so a restart keeps what the
 * watches saw) and, when given, a password. Resolves once it accepts
 * connections, with { url, port, password, dir, start(), stop(), remove() }:
 * stop() ends it as a shutdown does, start() brings it back on the same port
 * and files, remove() stops it and deletes its directory.
 */
async function startRedis({ password } = {}) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-red-comet-redis-'));
  let child;
  const redis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    password,
    dir,
    async start() {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--logfile', ''];
      if (password) args.push('--requirepass', password);
      child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      // Redis must not outlive whoever started it, even one that crashes.
      const killChild = () => child.kill('SIGKILL');
      process.once('exit', killChild);
      child.once('exit', () => process.off('exit', killChild));
      let output = '';
      await new Promise((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk) => {
          output += chunk;
          if (/Ready to accept connections/.test(output)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
      });
    },
    stop() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGTERM');
      });
    },
    async remove() {
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

module.exports = { haveRedis, startRedis };
