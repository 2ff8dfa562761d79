'use strict';
// Self-hosted Comet: HTTPS with the company's own CA (a core tls-config node,
// or NODE_EXTRA_CA_CERTS), and an HTTP proxy from HTTP(S)_PROXY / NO_PROXY.
const assert = require('node:assert/strict');
const { execFileSync, execFile } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { SAMPLE_KEY, configNode } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { useCleanEnv } = require('../helpers/env');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');
const { useRig, coreNode } = require('./rig');
const { section } = require('./matrix');

const row = section(__filename, 'TLS and proxies');

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

/** A CA and a certificate for 127.0.0.1 signed by it, made with openssl in `dir`. */
function makeCertificates(dir) {
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Reliability Test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
  const read = (name) => fs.readFileSync(path.join(dir, name));
  return { caPath: path.join(dir, 'ca.crt'), key: read('server.key'), cert: read('server.crt') };
}

/**
 * A forward proxy on 127.0.0.1: CONNECT tunnels and absolute-form requests,
 * recording each (method, target, headers).
 */
async function startProxy() {
  const seen = [];
  const sockets = new Set();
  const track = (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const srv = http.createServer((req, res) => {
    seen.push({ method: req.method, target: req.url, headers: { ...req.headers } });
    const upstream = http.request(req.url, { method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('socket', track);
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  srv.on('connection', track);
  srv.on('connect', (req, socket, head) => {
    seen.push({ method: 'CONNECT', target: req.url, headers: { ...req.headers } });
    const [host, port] = req.url.split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    track(upstream);
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    url: `http://127.0.0.1:${srv.address().port}`,
    close: () =>
      new Promise((resolve) => {
        srv.close(resolve);
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Runs `script` in a child Node with `env` added; resolves with its stdout parsed as JSON. */
function childJson(script, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout));
    });
  });
}

const metadata = { type: 'comet-get-experiment', operation: 'metadata' };

describe('reliability: TLS and proxies', function () {
  this.timeout(30_000);
  const rig = useRig();
  let dir, certs, tlsServer, plainServer;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-tls-'));
    certs = makeCertificates(dir);
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const tls = useSampleServer(() => ({ tls: { key: certs.key, cert: certs.cert } }));
  const plain = useSampleServer();
  useCleanEnv(PROXY_VARIABLES);
  beforeEach(function () {
    tlsServer = tls.server;
    plainServer = plain.server;
  });

  /** The config node for `server`, with the CA in a tls-config node when `withCa`. */
  function flowFor(server, withCa) {
    const config = { ...configNode(server, { retries: 1 }), tls: withCa ? 'ca' : '' };
    const tlsConfig = { id: 'ca', type: 'tls-config', cert: '', key: '', ca: certs.caPath, verifyservercert: true };
    return flowAround(metadata, withCa ? [config, tlsConfig] : [config]);
  }

  /** Sends one msg through the deployed flow and returns its outcome. */
  async function oneMsg(server) {
    const outcomes = recordOutcomes();
    outcomes.inject(1, () => ({ experimentKey: Object.keys(server.data.experiments)[0] }));
    await outcomes.settled(1);
    assert.deepEqual(outcomes.problems(1), []);
    return { sent: outcomes.sent[0], error: outcomes.caught[0] && outcomes.caught[0].error };
  }

  row('HTTPS server with a self-signed CA, no CA given', 'fails clearly: TLS error naming host and port and both ways to give the CA; not retried', async () => {
    await rig.deploy(flowFor(tlsServer, false), { cfg: { apiKey: SAMPLE_KEY } }, [coreNode('network/05-tls.js')]);
    const { error } = await oneMsg(tlsServer);
    assert.ok(error, 'the msg should fail');
    assert.equal(error.code, 'COMET_NETWORK');
    assert.ok(error.message.includes(`127.0.0.1:${tlsServer.port}`), error.message);
    assert.match(error.message, /TLS certificate .* could not be verified/);
    assert.match(error.message, /TLS config/);
    assert.match(error.message, /NODE_EXTRA_CA_CERTS/);
    assert.equal(tlsServer.requests.length, 0);
    await rig.finish([tlsServer]);
    return `caught ${error.code}: "${error.message}"`;
  });

  row("HTTPS server, the CA in a core tls-config node", 'msg sent with the answer', async () => {
    await rig.deploy(flowFor(tlsServer, true), { cfg: { apiKey: SAMPLE_KEY } }, [coreNode('network/05-tls.js')]);
    const { sent, error } = await oneMsg(tlsServer);
    assert.ok(sent, error && error.message);
    assert.equal(tlsServer.requests.length, 1);
    await rig.finish([tlsServer]);
    return 'sent on with the metadata over HTTPS; 1 request';
  });

  row('HTTPS server, the CA in NODE_EXTRA_CA_CERTS (a child Node process)', 'the client connects; without the variable the same child fails with the TLS error', async () => {
    const script = `
      const { CometClient } = require(${JSON.stringify(require.resolve('../../nodes/client/client'))});
      const { catalogTranslate } = require(${JSON.stringify(require.resolve('../../nodes/node-red/i18n'))});
      const client = new CometClient({ server: ${JSON.stringify(tlsServer.url)}, apiKey: ${JSON.stringify(SAMPLE_KEY)}, label: 'child', retries: 0, t: catalogTranslate() });
      client.json({ endpoint: 'account-details', method: 'GET', path: 'account-details' })
        .then((a) => ({ ok: true, userName: a.userName }), (e) => ({ ok: false, code: e.code, message: e.message }))
        .then(async (r) => { await client.close(); process.stdout.write(JSON.stringify(r)); });`;
    const trusted = await childJson(script, { NODE_EXTRA_CA_CERTS: certs.caPath });
    const untrusted = await childJson(script, { NODE_EXTRA_CA_CERTS: '' });
    assert.deepEqual(trusted, { ok: true, userName: 'ada' });
    assert.equal(untrusted.ok, false);
    assert.equal(untrusted.code, 'COMET_NETWORK');
    assert.match(untrusted.message, /could not be verified/);
    return `with the variable: connected as "${trusted.userName}"; without: ${untrusted.code}`;
  });

  row('HTTP_PROXY set, plain HTTP server', 'the request goes through the proxy; the key is not in what the proxy is told', async () => {
    const proxy = await startProxy();
    try {
      process.env.HTTP_PROXY = proxy.url;
      await rig.deploy(flowFor(plainServer, false), { cfg: { apiKey: SAMPLE_KEY } });
      const { sent, error } = await oneMsg(plainServer);
      assert.ok(sent, error && error.message);
      assert.equal(proxy.seen.length, 1);
      assert.equal(proxy.seen[0].target.replace(/^http:\/\//, '').split('/')[0], `127.0.0.1:${plainServer.port}`);
      await rig.stop();
    } finally {
      await proxy.close();
    }
    await rig.finish([plainServer]);
    return `sent on; the proxy saw ${proxy.seen[0].method} ${proxy.seen[0].method === 'CONNECT' ? proxy.seen[0].target : '(absolute URL)'}`;
  });

  row('HTTPS_PROXY set, HTTPS server with the CA in a tls-config node', 'a CONNECT tunnel through the proxy, TLS verified with the given CA end to end; the proxy never sees the key', async () => {
    const proxy = await startProxy();
    try {
      process.env.HTTPS_PROXY = proxy.url;
      await rig.deploy(flowFor(tlsServer, true), { cfg: { apiKey: SAMPLE_KEY } }, [coreNode('network/05-tls.js')]);
      const { sent, error } = await oneMsg(tlsServer);
      assert.ok(sent, error && error.message);
      assert.deepEqual(
        proxy.seen.map((r) => [r.method, r.target]),
        [['CONNECT', `127.0.0.1:${tlsServer.port}`]],
      );
      assert.ok(!JSON.stringify(proxy.seen).includes(SAMPLE_KEY));
      await rig.stop();
    } finally {
      await proxy.close();
    }
    await rig.finish([tlsServer]);
    return 'sent on; the proxy saw one CONNECT 127.0.0.1:<port> and no key';
  });

  row('HTTP_PROXY and HTTPS_PROXY set, NO_PROXY names the server', 'the request bypasses the proxy', async () => {
    const proxy = await startProxy();
    try {
      process.env.HTTP_PROXY = proxy.url;
      process.env.HTTPS_PROXY = proxy.url;
      process.env.NO_PROXY = 'localhost,127.0.0.1';
      await rig.deploy(flowFor(plainServer, false), { cfg: { apiKey: SAMPLE_KEY } });
      const { sent, error } = await oneMsg(plainServer);
      assert.ok(sent, error && error.message);
      assert.equal(plainServer.requests.length, 1);
      assert.equal(proxy.seen.length, 0);
      await rig.stop();
    } finally {
      await proxy.close();
    }
    await rig.finish([plainServer]);
    return 'sent on directly; the proxy saw nothing';
  });

  row('HTTP_PROXY names a proxy that is down', 'network error that blames the proxy (host and port), not Comet; not a hang', async () => {
    const proxy = await startProxy();
    await proxy.close();
    process.env.HTTP_PROXY = proxy.url;
    await rig.deploy(flowFor(plainServer, false), { cfg: { apiKey: SAMPLE_KEY } });
    const { error } = await oneMsg(plainServer);
    assert.ok(error, 'the msg should fail');
    assert.equal(error.code, 'COMET_NETWORK');
    assert.ok(error.message.startsWith(`The proxy ${proxy.url.replace('http://', '')} (from HTTP_PROXY / HTTPS_PROXY) failed`), error.message);
    assert.equal(plainServer.requests.length, 0);
    await rig.finish([plainServer]);
    return `caught ${error.code}: "${error.message}"`;
  });
});
