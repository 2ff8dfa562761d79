'use strict';
// What a test leaves behind: handles (sockets, servers, timers) that keep the
// process alive, as Node itself reports them.

/** Live resources by kind, e.g. { TCPSocketWrap: 2, Timeout: 1 }. */
function resources() {
  const counts = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] || 0) + 1;
  return counts;
}

/** libuv releases a closed handle in the loop's close phase: two turns later it is gone. */
async function loopTurns(turns = 2) {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * resources() once the test's pending work (and mocha's own timeout timer,
 * armed as the test function returns) is in place: a fair `before`.
 */
async function resourcesNow() {
  await loopTurns(1);
  return resources();
}

/**
 * Kinds of which more are alive now than in `before` (a resources() taken
 * earlier), after closed handles had their turn to go; {} when nothing leaked.
 * Immediates are the event loop's own bookkeeping, not something a test can leave.
 */
async function leftSince(before) {
  await loopTurns();
  const grown = {};
  for (const [kind, count] of Object.entries(resources())) {
    if (kind !== 'Immediate' && count > (before[kind] || 0)) grown[kind] = count - (before[kind] || 0);
  }
  return grown;
}

module.exports = { resources, resourcesNow, loopTurns, leftSince };
