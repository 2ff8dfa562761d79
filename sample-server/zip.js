'use strict';
// A tiny writer for zip archives (entries stored, or deflated on request), for test fixtures and
// the sample server's downloads. It writes names exactly as given (including
// `../evil`, `/abs/path`, backslashes), so tests can build malicious archives.
// No zip64: every size and offset must stay below 4 GiB.

const zlib = require('zlib');

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const MAX32 = 0xffffffff;
const MADE_BY_UNIX = (3 << 8) | 20; // host system 3 = Unix, so the high 16 bits of external attrs are a unix mode
const FLAG_UTF8 = 0x0800;
const DEFAULT_MTIME = new Date(Date.UTC(2024, 2, 4, 9, 0, 0));

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

function dosDateTime(date) {
  const d = date instanceof Date ? date : new Date(date);
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * Normalises an entry description into what the header writers need.
 * entry: { name: string|Buffer, data?: Buffer|string, size?, crc? (for streamed entries),
 *          directory?: true, symlink?: 'target', mode?: unix permission bits or full mode, mtime?: Date,
 *          deflate?: true (data is stored deflated: compression method 8) }
 */
function normalize(entry) {
  if (!entry || (typeof entry.name !== 'string' && !Buffer.isBuffer(entry.name))) {
    throw new TypeError('zip entry needs a name (string or Buffer)');
  }
  const nameBuf = Buffer.isBuffer(entry.name) ? entry.name : Buffer.from(entry.name, 'utf8');
  // A name beyond ASCII is flagged as UTF-8 (general purpose bit 11), as unzip tools expect.
  const utf8 = typeof entry.name === 'string' && /\P{ASCII}/u.test(entry.name);
  let data = null;
  let type = S_IFREG;
  let perm = 0o644;
  if (entry.symlink !== undefined) {
    data = Buffer.from(String(entry.symlink), 'utf8');
    type = S_IFLNK;
    perm = 0o777;
  } else if (entry.directory) {
    data = Buffer.alloc(0);
    type = S_IFDIR;
    perm = 0o755;
  } else if (entry.data !== undefined) {
    data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(String(entry.data), 'utf8');
  } else if (entry.size === undefined) {
    data = Buffer.alloc(0);
  }
  let mode = entry.mode !== undefined ? entry.mode : perm;
  if ((mode & 0o170000) === 0) mode |= type;
  const size = data ? data.length : entry.size;
  const crc = data ? zlib.crc32(data) : entry.crc;
  if (!Number.isInteger(size) || size < 0 || size >= MAX32) throw new RangeError(`zip entry size out of range (no zip64): ${size}`);
  if (!Number.isInteger(crc)) throw new TypeError('a streamed zip entry needs its crc');
  const { time, date } = dosDateTime(entry.mtime || DEFAULT_MTIME);
  // low byte 0x10 is the MS-DOS directory attribute, for tools that ignore unix modes
  const externalAttrs = ((mode << 16) >>> 0) + ((mode & 0o170000) === S_IFDIR ? 0x10 : 0);
  const deflated = entry.deflate && data ? zlib.deflateRawSync(data) : null;
  return { nameBuf, flags: utf8 ? FLAG_UTF8 : 0, data: deflated || data, size, compressedSize: deflated ? deflated.length : size, method: deflated ? 8 : 0, crc: crc >>> 0, time, date, externalAttrs };
}

function localHeader(e) {
  const b = Buffer.alloc(30 + e.nameBuf.length);
  b.writeUInt32LE(LOCAL_SIG, 0);
  b.writeUInt16LE(e.method ? 20 : 10, 4); // version needed: 1.0 stored, 2.0 deflated
  b.writeUInt16LE(e.flags, 6);
  b.writeUInt16LE(e.method, 8);
  b.writeUInt16LE(e.time, 10);
  b.writeUInt16LE(e.date, 12);
  b.writeUInt32LE(e.crc, 14);
  b.writeUInt32LE(e.compressedSize, 18); // compressed size
  b.writeUInt32LE(e.size, 22); // uncompressed size
  b.writeUInt16LE(e.nameBuf.length, 26);
  b.writeUInt16LE(0, 28); // extra length
  e.nameBuf.copy(b, 30);
  return b;
}

function centralHeader(e, offset) {
  const b = Buffer.alloc(46 + e.nameBuf.length);
  b.writeUInt32LE(CENTRAL_SIG, 0);
  b.writeUInt16LE(MADE_BY_UNIX, 4);
  b.writeUInt16LE(e.method ? 20 : 10, 6);
  b.writeUInt16LE(e.flags, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(e.time, 12);
  b.writeUInt16LE(e.date, 14);
  b.writeUInt32LE(e.crc, 16);
  b.writeUInt32LE(e.compressedSize, 20);
  b.writeUInt32LE(e.size, 24);
  b.writeUInt16LE(e.nameBuf.length, 28);
  b.writeUInt16LE(0, 30); // extra
  b.writeUInt16LE(0, 32); // comment
  b.writeUInt16LE(0, 34); // disk
  b.writeUInt16LE(0, 36); // internal attrs
  b.writeUInt32LE(e.externalAttrs, 38);
  b.writeUInt32LE(offset, 42);
  e.nameBuf.copy(b, 46);
  return b;
}

function endOfCentralDirectory(count, cdSize, cdOffset) {
  if (count > 0xffff || cdOffset >= MAX32 || cdSize >= MAX32) throw new RangeError('zip too large (no zip64)');
  const b = Buffer.alloc(22);
  b.writeUInt32LE(EOCD_SIG, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(cdSize, 12);
  b.writeUInt32LE(cdOffset, 16);
  return b;
}

/** Total byte length of a stored zip of these entries (each needs name and size or data). */
function zipSize(entries) {
  let total = 22;
  for (const entry of entries) {
    const nameLen = Buffer.isBuffer(entry.name) ? entry.name.length : Buffer.byteLength(entry.name, 'utf8');
    const size = entry.size !== undefined ? entry.size
      : entry.symlink !== undefined ? Buffer.byteLength(String(entry.symlink))
        : entry.data === undefined ? 0
          : Buffer.isBuffer(entry.data) ? entry.data.length : Buffer.byteLength(String(entry.data));
    total += 30 + 46 + 2 * nameLen + size;
  }
  return total;
}

/**
 * Yields the archive as a sequence of Buffers. An entry either has `data`, or
 * `size`, `crc` and `chunks()` (an iterable of Buffers whose lengths add up to size),
 * so large archives can be streamed without being held in memory.
 */
function* zipChunks(entries) {
  const central = [];
  let offset = 0;
  for (const entry of entries) {
    const e = normalize(entry);
    const header = localHeader(e);
    central.push(centralHeader(e, offset));
    yield header;
    offset += header.length;
    if (e.data) {
      if (e.data.length) yield e.data;
    } else {
      let written = 0;
      for (const chunk of entry.chunks()) {
        written += chunk.length;
        yield chunk;
      }
      if (written !== e.size) throw new Error(`zip entry ${e.nameBuf} produced ${written} bytes, announced ${e.size}`);
    }
    offset += e.compressedSize;
    if (offset >= MAX32) throw new RangeError('zip too large (no zip64)');
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  yield* central;
  yield endOfCentralDirectory(central.length, cdSize, offset);
}

/**
 * Builds a whole stored zip in memory.
 * buildZip([{ name: 'model/model.pkl', data: buf }, { name: '../evil', data: 'x' },
 *           { name: 'link', symlink: '/etc/passwd' }, { name: 'dir/', directory: true }])
 */
function buildZip(entries) {
  return Buffer.concat([...zipChunks(entries)]);
}

module.exports = { buildZip, zipChunks, zipSize, S_IFREG, S_IFDIR, S_IFLNK };
