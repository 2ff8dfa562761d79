'use strict';
// Comet's rate limit, simulated (server.limitRate): beyond `max` requests in
// any `windowMs` (a sliding window), the answer is a 429 with Retry-After.

function createRateLimit() {
  let limit = null; // { max, windowMs, retryAfterSeconds, served: [times] }
  return {
    /** `{ max, windowMs, retryAfterSeconds }`; null lifts the limit. */
    set(options) {
      limit = options ? { max: options.max, windowMs: options.windowMs || 1000, retryAfterSeconds: options.retryAfterSeconds ?? 1, served: [] } : null;
    },
    /** The fault spec of the 429 Comet answers for a request at `now` beyond the limit; undefined within it. */
    over(now) {
      if (!limit) return undefined;
      const { served, windowMs, max, retryAfterSeconds } = limit;
      while (served.length && served[0] <= now - windowMs) served.shift();
      if (served.length < max) {
        served.push(now);
        return undefined;
      }
      return { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } };
    },
  };
}

module.exports = { createRateLimit };
