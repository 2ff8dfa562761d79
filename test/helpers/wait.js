'use strict';
// Waiting in tests: for a state, checked on real time (so under sinon's fake
// timers too), never for a guessed length of time.

// Kept before any test installs fake timers.
const realSetTimeout = setTimeout;
const realNow = Date.now;

/**
 * Resolves once `condition()` holds (it may return a promise), checking every
 * 2 ms of real time; rejects after `timeout` ms, naming `message`.
 */
async function until(condition, { timeout = 5000, message = 'the condition' } = {}) {
  const started = realNow();
  while (!(await condition())) {
    if (realNow() - started > timeout) throw new Error(`still waiting for ${message} after ${timeout} ms`);
    await new Promise((resolve) => realSetTimeout(resolve, 2));
  }
}

/**
 * Lets `ms` of real time pass, fake timers or not: only to show that something
 * does NOT happen within that time. To wait for something, use until().
 */
function realDelay(ms) {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

module.exports = { until, realDelay };
