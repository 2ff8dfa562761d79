'use strict';
// A real redis-server (Debian's package; scripts/test-all.sh installs it) for
// the tests of several Node-RED processes sharing one Redis: each test starts
// its own on a free 127.0.0.1 port, in a temporary directory it removes.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('../../scripts/lib/node-red');

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
 * Starts a redis-server with a password, an append-only file written on every
 * change (what the README asks of a production Redis, so a restart keeps what
 * the watches saw), and resolves once it accepts connections, with
 * { url, port, password, stop(), start(), remove() }: stop() ends it as a
 * shutdown does, start() brings it back on the same port and files.
 */
async function startRedis({ password = 'redis-secret' } = {}) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-red-comet-redis-'));
  let child;
  const redis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    password,
    dir,
    async start() {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--requirepass', password, '--logfile', ''];
      child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Every key of `redis` and its value (strings and hashes as text), through a client of our own. */
async function dumpKeys(redis) {
  const { createClient } = require('redis');
  const client = createClient({ url: redis.url, password: redis.password });
  client.on('error', () => {});
  await client.connect();
  try {
    const found = {};
    for await (const keys of client.scanIterator({ COUNT: 1000 })) {
      for (const key of [].concat(keys)) {
        const type = await client.type(key);
        found[key] = type === 'string' ? await client.get(key) : JSON.stringify(await client.dump(key));
      }
    }
    return found;
  } finally {
    await client.close();
  }
}

module.exports = { haveRedis, startRedis, dumpKeys };
