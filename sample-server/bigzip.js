'use strict';
// A stored zip of an exact total size (e.g. 1 GiB) for download benchmarks,
// streamed chunk by chunk and never held in memory. Its bytes are
// deterministic: each 64 KiB chunk is an 8-byte stamp (entry, chunk index)
// followed by a slice of one shared 1 MiB pseudo-random block, so producing a
// chunk costs no copy. The CRCs are computed once per size (lazily, in slices
// that yield to the event loop) and cached for the life of the process.

const zlib = require('zlib');
const { zipChunks, zipSize } = require('./zip');

const CHUNK = 64 * 1024;
const SLOTS = 16;
const ENTRY_MAX = 256 * 1024 * 1024;
const YIELD_EVERY = 256; // chunks (16 MiB) between event-loop turns while computing CRCs

let block = null;
function randomBlock() {
  if (!block) {
    const words = new Uint32Array((SLOTS * CHUNK + CHUNK) / 4);
    let x = 0x9e3779b9;
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    block = Buffer.from(words.buffer);
  }
  return block;
}

function* entryChunks(entryIndex, size) {
  const base = randomBlock();
  for (let off = 0, i = 0; off < size; off += CHUNK, i++) {
    const len = Math.min(CHUNK, size - off);
    const stamp = Buffer.alloc(8);
    stamp.writeUInt32LE(entryIndex, 0);
    stamp.writeUInt32LE(i, 4);
    if (len <= 8) {
      yield stamp.subarray(0, len);
    } else {
      const pos = ((i * 7 + entryIndex * 3) % SLOTS) * CHUNK;
      yield stamp;
      yield base.subarray(pos, pos + len - 8);
    }
  }
}

const MLMODEL = Buffer.from('artifact_path: model\nflavors:\n  pytorch:\n    model_data: weights\nmodel_name: big-model\n');
const REQUIREMENTS = Buffer.from('torch==2.2.1\n');

/** Entry names and sizes for a zip of exactly `total` bytes. */
function layout(total) {
  const small = [
    { name: 'model/MLmodel', data: MLMODEL },
    { name: 'requirements.txt', data: REQUIREMENTS },
  ];
  const estimate = (n) => zipSize(small.concat(Array.from({ length: n }, (_, i) => ({ name: bigName(i), size: 0 }))));
  let count = 1;
  while ((total - estimate(count)) / count > ENTRY_MAX) count++;
  const payload = total - estimate(count);
  if (payload < count) throw new RangeError(`download size ${total} is too small`);
  const big = Array.from({ length: count }, (_, i) => ({
    name: bigName(i),
    size: Math.floor(payload / count) + (i === count - 1 ? payload % count : 0),
  }));
  return { small, big };
}

function bigName(i) {
  return `model/weights-${String(i).padStart(3, '0')}.bin`;
}

const crcCache = new Map(); // total size -> Promise<number[]>

function computeCrcs(big, signal) {
  return (async () => {
    const crcs = [];
    for (let e = 0; e < big.length; e++) {
      let crc = 0;
      let n = 0;
      for (const chunk of entryChunks(e, big[e].size)) {
        crc = zlib.crc32(chunk, crc);
        if (++n % YIELD_EVERY === 0) {
          await new Promise((resolve) => setImmediate(resolve));
          if (signal && signal.aborted) throw new Error('sample server closed');
        }
      }
      crcs.push(crc);
    }
    return crcs;
  })();
}

/**
 * Resolves to { length, etag, chunks() } for a stored zip of exactly `total` bytes.
 * `signal` (AbortSignal) stops a first-time CRC computation when the server closes.
 */
async function bigModelZip(total, signal) {
  const { small, big } = layout(total);
  let pending = crcCache.get(total);
  if (!pending) {
    pending = computeCrcs(big, signal);
    crcCache.set(total, pending);
    pending.catch(() => crcCache.delete(total));
  }
  const crcs = await pending;
  const entries = small.concat(big.map((b, i) => ({ name: b.name, size: b.size, crc: crcs[i], chunks: () => entryChunks(i, b.size) })));
  // The bytes depend on the size alone: the size names the version, for If-Range.
  return { length: total, etag: `"bigzip-${total}"`, chunks: () => zipChunks(entries) };
}

module.exports = { bigModelZip, layout };
