'use strict';
// Ids and randomness of the sample dataset, all derived from text so that every
// run builds the same ids and values.

const crypto = require('crypto');

/** A stable 32-hex id, the shape of Comet's experiment keys and project ids. */
function hexId(text) {
  return crypto.createHash('md5').update(text).digest('hex');
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The key of experiment `name` of project `projectName` in workspace `ws`. */
const experimentKeyOf = (ws, projectName, name) => hexId(`experiment:${ws}/${projectName}/${name}`);

/** A random number generator (values in [0, 1)) seeded by `text`. */
function rngFor(text) {
  return mulberry32(parseInt(hexId(text).slice(0, 8), 16));
}

/** `length` bytes of noise seeded by `seedText`. */
function pseudoBytes(seedText, length) {
  // xorshift32, a word at a time: servers are built per test, this must stay cheap
  const words = new Uint32Array(Math.ceil(length / 4));
  let x = parseInt(hexId(seedText).slice(0, 8), 16) || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return Buffer.from(words.buffer, 0, length);
}

const round6 = (v) => Math.round(v * 1e6) / 1e6;

module.exports = { hexId, experimentKeyOf, rngFor, pseudoBytes, round6 };
