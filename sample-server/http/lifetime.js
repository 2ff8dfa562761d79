'use strict';
// A sample server's life: the waits of faults (delays, trickles) that close()
// cuts short, and the abort signal handlers get, so nothing outlives close().

function createLifetime() {
  let closed = false;
  const sleepers = new Map(); // timer -> resolve
  const abort = new AbortController();
  return {
    get closed() {
      return closed;
    },
    signal: abort.signal,
    /** Resolves after `ms`, or at once when the server closes. */
    sleep: (ms) => new Promise((resolve) => {
      if (closed) return resolve();
      const t = setTimeout(() => {
        sleepers.delete(t);
        resolve();
      }, ms);
      sleepers.set(t, resolve);
    }),
    end() {
      closed = true;
      abort.abort();
      for (const [t, resolve] of sleepers) {
        clearTimeout(t);
        resolve();
      }
      sleepers.clear();
    },
  };
}

module.exports = { createLifetime };
