'use strict';
// A real redis-server for the tests of several Node-RED processes sharing one
// Redis (scripts/test-all.sh installs Debian's package): each test starts its
// own on a free 127.0.0.1 port, with a password, and removes it afterwards.
const { haveRedis, startRedis: startRedisServer } = require('../../scripts/lib/redis-server');

/** A redis-server of the test's own (scripts/lib/redis-server.js), with a password. */
function startRedis({ password = 'redis-secret' } = {}) {
  return startRedisServer({ password });
}

/** A connected node-redis client of the test's own, for what no Node-RED would do; close() it. */
async function redisClient(redis) {
  const { createClient } = require('redis');
  const client = createClient({ url: redis.url, password: redis.password });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Every key of `redis` and its value (strings as text, others as their dump). */
async function dumpKeys(redis) {
  const client = await redisClient(redis);
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

module.exports = { haveRedis, startRedis, dumpKeys, redisClient };
