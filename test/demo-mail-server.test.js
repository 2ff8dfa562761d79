'use strict';
// The local mail server of `npm start` and the mail tests
// (scripts/lib/mail-server.js): it keeps what arrives over SMTP and its pages
// answer whatever a browser asks, a malformed address included, without
// taking the process down.
const assert = require('node:assert/strict');
const { startMailServer } = require('../scripts/lib/mail-server');

describe('the demo mail server', function () {
  let mailServer;
  before(async () => {
    mailServer = await startMailServer();
  });
  after(() => mailServer?.close());

  it('answers a malformed %-escape with 400 and goes on serving', async function () {
    for (const path of ['%E0', 'mail/%E0', 'mail/1/cid/%']) {
      const res = await fetch(`${mailServer.url}${path}`);
      assert.equal(res.status, 400, path);
      await res.text();
    }
    const list = await fetch(mailServer.url);
    assert.equal(list.status, 200);
    assert.match(await list.text(), /None yet/);
    const missing = await fetch(`${mailServer.url}mail/1`);
    assert.equal(missing.status, 404);
    await missing.text();
  });
});
