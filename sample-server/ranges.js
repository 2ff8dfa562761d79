'use strict';
// Byte ranges, as storage hosts and file servers answer them: a file of known
// length is served with `Accept-Ranges: bytes` and a strong ETag; a GET with
// `Range: bytes=N-` gets the rest (206, Content-Range), unless its `If-Range`
// names another version (the file changed: the whole file, 200). Only the
// open-ended form is served; any other Range header is ignored (200), as
// HTTP allows.

const crypto = require('crypto');

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/** A strong ETag for a body held in memory. */
function etagOf(buffer) {
  return `"${crypto.createHash('md5').update(buffer).digest('hex')}"`;
}

/**
 * Whether an answer is a file that ranges apply to: a 200 to GET, of known
 * length, not JSON (Comet's API answers are not served in ranges).
 */
function servesRanges(method, status, headers, length) {
  return method === 'GET' && status === 200 && length !== undefined && !JSON_TYPE.test(headers['content-type'] || '');
}

/**
 * What to answer a request with `requestHeaders` for a file of `length` bytes
 * whose (lower-case) answer headers are `headers` (which get Accept-Ranges):
 * { start: 0 } for the whole file, { start: N } for the rest from N (206),
 * or { unsatisfiable: true } for a start at or past the end (416).
 */
function rangeOf(requestHeaders, headers, length) {
  headers['accept-ranges'] = 'bytes';
  const match = /^bytes=(\d+)-$/.exec(String(requestHeaders.range || '').trim());
  if (!match) return { start: 0 };
  const ifRange = requestHeaders['if-range'];
  if (ifRange !== undefined && ifRange !== headers.etag && ifRange !== headers['last-modified']) return { start: 0 };
  const start = Number(match[1]);
  if (start >= length) return { unsatisfiable: true };
  return { start };
}

/** Skips the first `start` bytes of a sequence of Buffers, without copying. */
function* skipBytes(chunks, start) {
  let left = start;
  for (const chunk of chunks) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

module.exports = { etagOf, servesRanges, rangeOf, skipBytes };
