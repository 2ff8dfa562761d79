'use strict';
// The sample dataset's time: every record is dated from one fixed instant, and
// what changes at run time is stamped by a clock that never gives one value twice.

const BASE_TIME = Date.UTC(2024, 2, 4, 9, 0, 0); // 2024-03-04T09:00:00Z
const DAY = 24 * 3600 * 1000;

/** BASE_TIME plus `days` days and `hours` hours. */
const afterBase = (days, hours = 0) => BASE_TIME + days * DAY + hours * 3600 * 1000;

/** A monotonic clock for lastUpdated bumps, so two changes in the same ms still differ. */
function createStamp() {
  let lastStamp = 0;
  return () => {
    lastStamp = Math.max(Date.now(), lastStamp + 1);
    return lastStamp;
  };
}

module.exports = { BASE_TIME, DAY, afterBase, createStamp };
