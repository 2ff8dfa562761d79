'use strict';
// The server's file name, made safe: what Content-Disposition headers say,
// and what is left of hostile names.
const assert = require('node:assert/strict');
const { filenameFromDisposition, sanitiseFilename } = require('../../nodes/download/filename');

describe('download file names', function () {
  const cases = [
    ['attachment; filename="churn-model_1.2.0.zip"', 'churn-model_1.2.0.zip'],
    ['attachment; filename=model.zip', 'model.zip'],
    ['attachment;filename="a \\"quoted\\" name.zip"', 'a _quoted_ name.zip'],
    ["attachment; filename=\"fallback.zip\"; filename*=UTF-8''mod%C3%A8le%20v2.zip", 'modèle v2.zip'],
    ["attachment; filename*=iso-8859-1'en'caf%E9.txt", 'café.txt'],
    ["attachment; filename*=UTF-8''%E0%A4%A; filename=plain.zip", 'plain.zip'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="..\\\\..\\\\windows\\\\win.ini"', 'win.ini'],
    ['attachment; filename="/abs/path/model.bin"', 'model.bin'],
    ['attachment; filename=".."', undefined],
    ['attachment; filename="models/"', undefined],
    ['attachment; filename="nul.zip"', '_nul.zip'],
    ['attachment; filename="a\u0000b\u001f.zip"', 'a_b_.zip'],
    ['attachment; filename="model.zip. . "', 'model.zip'],
    ['attachment', undefined],
    [undefined, undefined],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} -> ${JSON.stringify(expected)}`, function () {
      assert.equal(filenameFromDisposition(header), expected);
    });
  }

  it('keeps the extension when it shortens a name past 255 bytes', function () {
    const name = sanitiseFilename(`${'é'.repeat(200)}.safetensors`);
    assert.ok(Buffer.byteLength(name) <= 255);
    assert.ok(name.endsWith('é.safetensors'));
  });
});
