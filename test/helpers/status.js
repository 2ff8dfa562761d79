'use strict';
// What a node shows under it: every status it sets, in order.

/**
 * Follows `node`'s status (node.status wrapped, the original still called):
 * `seen`, every status shown from now on, and `until(wanted)`, which resolves
 * with the first status, already shown or still to come, that `wanted` accepts.
 */
function statusSpy(node) {
  const seen = [];
  const waiting = [];
  const original = node.status.bind(node);
  node.status = (status) => {
    seen.push(status);
    for (const w of waiting.splice(0)) if (!w.settle(status)) waiting.push(w);
    return original(status);
  };
  return {
    seen,
    until(wanted) {
      const shown = seen.find(wanted);
      if (shown) return Promise.resolve(shown);
      return new Promise((resolve) => waiting.push({ settle: (status) => wanted(status) && (resolve(status), true) }));
    },
  };
}

module.exports = { statusSpy };
