'use strict';
// The ceiling inside Node-RED: a node that only calls undici and sends, with
// no validation, limits, retries or status. Bench only: the benchmark
// runtime's user dir holds a package whose node file requires this one.
const { Pool } = require('undici');

module.exports = function (RED) {
  function BenchUndici(config) {
    RED.nodes.createNode(this, config);
    const pool = new Pool(config.origin, { connections: Number(config.connections) || 8 });
    this.on('input', async (msg, send, done) => {
      try {
        const res = await pool.request({ method: 'GET', path: `${config.path}?experimentKey=${encodeURIComponent(msg.experimentKey)}`, headers: { authorization: config.apiKey } });
        msg.payload = await res.body.json();
        send(msg);
        done();
      } catch (err) {
        done(err);
      }
    });
    this.on('close', (_removed, done) => pool.close().then(() => done(), () => done()));
  }
  RED.nodes.registerType('bench-undici', BenchUndici);
};
