'use strict';
// What a resumed download looks like at the server: a whole answer, then
// requests for the rest (Range: bytes=N-), each from where the bytes stopped.
const assert = require('node:assert/strict');

/**
 * A cut may lose what the client had received but not yet read when the
 * connection closed (undici drops a failed body's buffer): at most that
 * buffer and one read of the socket.
 */
const SLACK = 128 * 1024;

/** [start of the Range asked for (undefined: none), status] of each request. */
function ranges(requests) {
  return requests.map((r) => {
    const match = /^bytes=(\d+)-$/.exec(r.headers.range || '');
    return [match ? Number(match[1]) : undefined, r.status];
  });
}

/**
 * Asserts that `requests` are one download of `size` bytes cut after every
 * `cut` bytes and resumed each time: a 200, then 206s for the rest, each
 * from the end of what the one before it got (within SLACK).
 */
function assertResumedEvery(requests, cut, size) {
  const seen = ranges(requests);
  assert.deepEqual(seen[0], [undefined, 200], `requests: ${JSON.stringify(seen)}`);
  let end = cut;
  for (const [start, status] of seen.slice(1)) {
    assert.equal(status, 206, `requests: ${JSON.stringify(seen)}`);
    assert.ok(start <= end && start >= end - SLACK, `a resume from ${start}, the bytes before it stopped at ${end}: ${JSON.stringify(seen)}`);
    end = start + cut;
  }
  assert.ok(end >= size, `the last request reaches the end: ${JSON.stringify(seen)}`);
}

module.exports = { SLACK, ranges, assertResumedEvery };
