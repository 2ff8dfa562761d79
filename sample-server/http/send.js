'use strict';
// Writing an answer: headers, byte ranges of a file (ranges.js), then the body
// with backpressure, cut short or slowed down as a fault asks (truncate,
// mid-body reset, cutAfter, trickle), counting the body bytes written.

const { destroySocket } = require('./sockets');
const { etagOf, servesRanges, rangeOf, skipBytes } = require('../ranges');

function toBuffer(body) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

const drained = (res) => new Promise((resolve) => {
  const done = () => {
    res.off('drain', done);
    res.off('close', done);
    resolve();
  };
  res.on('drain', done);
  res.on('close', done);
});

/** The result's headers, then the fault's, lower-cased so a fault's `content-type` replaces the endpoint's `Content-Type` instead of doubling it. */
function mergedHeaders(result, spec) {
  const headers = {};
  for (const [k, v] of Object.entries({ ...result.headers }).concat(Object.entries(spec.headers || {}))) headers[k.toLowerCase()] = v;
  return headers;
}

/** The chunks of a result's body, its length (undefined: streamed without one) and, when it is held in memory, `whole`. */
function bodyOf(result, truncate) {
  if (result.stream && !(truncate && result.stream.length === undefined)) {
    return { chunks: result.stream.chunks(), length: result.stream.length };
  }
  const whole = result.stream ? Buffer.concat([...result.stream.chunks()]) : toBuffer(result.body);
  return { chunks: whole.length ? [whole] : [], length: whole.length, whole };
}

/**
 * The status, chunks and length to send for what the request's Range asks of a
 * file answer (the whole file, the rest from a byte: 206, past the end: 416);
 * adds ETag, Accept-Ranges and Content-Range to `headers`.
 */
function ranged(req, spec, result, headers, { chunks, length, whole }) {
  if (spec.ranges === false || !servesRanges(req.method, result.status, headers, length)) return { status: result.status, chunks, length };
  const etag = whole ? etagOf(whole) : result.stream.etag;
  if (etag && !headers.etag) headers.etag = etag;
  const range = rangeOf(req.headers, headers, length);
  if (range.unsatisfiable) {
    headers['content-range'] = `bytes */${length}`;
    return { status: 416, chunks: [], length: 0 };
  }
  if (range.start > 0) {
    headers['content-range'] = `bytes ${range.start}-${length - 1}/${length}`;
    return { status: 206, chunks: skipBytes(chunks, range.start), length: length - range.start };
  }
  return { status: result.status, chunks, length };
}

/**
 * Writes `chunks`, at most `limit` bytes, in pieces of `piece` bytes `spec.trickleMs`
 * apart, counting them in `stats.bytesSent`; false when the server or the answer
 * closed meanwhile.
 */
async function writeBody(res, chunks, { limit, piece, spec, life, stats }) {
  for (let chunk of chunks) {
    if (limit <= 0) break;
    if (chunk.length > limit) chunk = chunk.subarray(0, limit);
    limit -= chunk.length;
    for (let off = 0; off < chunk.length; off += piece) {
      if (life.closed || res.destroyed) return false;
      const part = piece === Infinity ? chunk : chunk.subarray(off, off + piece);
      if (spec.trickleMs) await life.sleep(spec.trickleMs);
      if (life.closed || res.destroyed) return false;
      stats.bytesSent += part.length;
      if (!res.write(part)) await drained(res);
    }
  }
  return true;
}

/** Sends a result, honouring byte ranges, the fault modifiers of `spec` and backpressure; counts the body bytes in `stats.bytesSent`. */
async function send(req, res, result, spec, { life, stats }) {
  const headers = mergedHeaders(result, spec);
  const truncate = spec.truncate || spec.reset === 'mid-body' || spec.cutAfter !== undefined;
  const { status, chunks, length } = ranged(req, spec, result, headers, bodyOf(result, truncate));
  if (length !== undefined) headers['content-length'] = length;
  const noBody = req.method === 'HEAD' || status === 204 || status === 304;
  if (noBody) delete headers['content-length'];
  res.writeHead(status, headers);
  if (noBody) return void res.end();

  // A cut that would come at or after the end is no cut: the answer completes.
  const cut = spec.cutAfter !== undefined && spec.cutAfter < length;
  const limit = cut ? spec.cutAfter : truncate && spec.cutAfter === undefined ? Math.floor(length / 2) : Infinity;
  const piece = spec.trickleMs ? spec.trickleBytes || Math.max(1, Math.ceil((length || 10240) / 10)) : Infinity;
  if (!(await writeBody(res, chunks, { limit, piece, spec, life, stats }))) return;
  if (life.closed || res.destroyed) return;
  if (spec.reset === 'mid-body') {
    await life.sleep(25); // let headers and the first half reach the client, then send a TCP RST
    destroySocket(req.socket, true);
    return;
  }
  if (spec.truncate || cut) {
    req.socket.end(); // flushes what was written, then FIN: fewer bytes than Content-Length announced
    return;
  }
  res.end();
}

module.exports = { send };
