'use strict';
// Small file contents of the sample dataset: images and the files of a logged model.

const zlib = require('zlib');
const { rngFor, pseudoBytes } = require('./random');

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A small valid RGB PNG with a deterministic pattern. */
function makePng(seedText, size = 16) {
  const rnd = rngFor(seedText);
  const base = [rnd() * 255, rnd() * 255, rnd() * 255];
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = (base[0] + x * 9) & 255;
      raw[o + 1] = (base[1] + y * 9) & 255;
      raw[o + 2] = (base[2] + (x ^ y) * 5) & 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The files an MLflow-style logged model consists of: [{ path, content }]. */
function modelFiles(modelName, experimentKey, flavor) {
  const pkl = Buffer.concat([Buffer.from([0x80, 0x04, 0x95]), pseudoBytes(`pkl:${experimentKey}:${modelName}`, 4093)]);
  const mlmodel = [
    'artifact_path: model',
    'flavors:',
    `  ${flavor}:`,
    '    pickled_model: model.pkl',
    '    serialization_format: cloudpickle',
    `model_name: ${modelName}`,
    `run_id: ${experimentKey}`,
    'utc_time_created: \'2024-03-04 09:00:00.000000\'',
    '',
  ].join('\n');
  const requirements = flavor === 'sklearn'
    ? 'scikit-learn==1.4.1\nnumpy==1.26.4\npandas==2.2.1\n'
    : `${flavor}==2.0.3\nnumpy==1.26.4\npandas==2.2.1\n`;
  return [
    { path: 'model/model.pkl', content: pkl },
    { path: 'model/MLmodel', content: Buffer.from(mlmodel) },
    { path: 'requirements.txt', content: Buffer.from(requirements) },
  ];
}

module.exports = { makePng, modelFiles };
