'use strict';
// The sample server's listening sockets: servers that track their connections
// so close() can end them, on 127.0.0.1 only.

const http = require('http');
const https = require('https');

/** Ends a connection; `reset`: with a TCP RST, so the client sees ECONNRESET. */
function destroySocket(socket, reset) {
  if (!socket || socket.destroyed) return;
  if (reset && typeof socket.resetAndDestroy === 'function' && !socket.encrypted) {
    try {
      socket.resetAndDestroy(); // TCP RST: the client sees ECONNRESET
      return;
    } catch {
      // fall through
    }
  }
  socket.destroy();
}

/** An HTTP server (HTTPS with `tls`) that keeps its open sockets in `srv.sockets`. */
function makeServer(tls, handler) {
  const srv = tls ? https.createServer({ ...tls }, handler) : http.createServer(handler);
  const sockets = new Set();
  srv.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  srv.on('clientError', (err, socket) => destroySocket(socket));
  srv.on('tlsClientError', (err, socket) => destroySocket(socket));
  srv.sockets = sockets;
  return srv;
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/** Listens with every server of `servers` ([[server, port]]) and resolves to their ports; on failure closes them all. */
async function listenAll(servers) {
  try {
    return await Promise.all(servers.map(([srv, port]) => listen(srv, port)));
  } catch (err) {
    await Promise.all(servers.map(([srv]) => new Promise((resolve) => (srv.listening ? srv.close(() => resolve()) : resolve()))));
    throw err;
  }
}

/** Stops `srv` and destroys its open sockets. */
function closeServer(srv) {
  return new Promise((resolve) => {
    srv.close(() => resolve());
    for (const s of srv.sockets) s.destroy();
  });
}

module.exports = { destroySocket, makeServer, listenAll, closeServer };
