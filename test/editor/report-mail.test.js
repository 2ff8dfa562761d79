'use strict';
// comet-report's e-mail as a mail client shows it: the report sent by
// node-red-node-email to the local mail server (scripts/lib/mail-server.js,
// which the demo runs too), whose page shows the message in Chromium with
// its cid: images taken from the message's own parts and nothing else
// loaded (no remote content, no script). Every chart must show, from its PNG
// part, at its announced size, sharp (the PNG has twice the pixels).
// Screenshot: report-email.png (docs/images/ with UPDATE_SCREENSHOTS=1).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { churnTop5, loadMailFlow } = require('../helpers/report');
const { openBrowser, SCREENSHOTS } = require('../helpers/editor');
const { startMailServer, MAIL_CSP } = require('../../scripts/lib/mail-server');

describe('comet-report: the e-mail in Chromium, as a mail client shows it', function () {
  this.timeout(60000);
  const ctx = useSampleServer();
  useNodeRed();
  let chromium;
  let mailServer;
  before(async () => {
    mailServer = await startMailServer();
    chromium = await openBrowser({ width: 860, height: 900 });
  });
  after(async () => {
    await chromium?.browser.close();
    await mailServer?.close();
  });

  it('shows the table and each chart from its PNG part, loading nothing but the message', async function () {
    const { node, outcomes } = await loadMailFlow(ctx.server, mailServer.smtpPort, churnTop5('email'));
    const arrived = mailServer.next();
    const sent = outcomes.next();
    node.receive({ from: 'node-red@example.com' });
    assert.ok((await sent).sent, 'the report failed');
    await arrived;
    const { page, problems } = chromium;

    const origin = new URL(mailServer.url).origin;
    const requested = [];
    page.on('request', (req) => requested.push(req.url()));
    const res = await page.goto(`${mailServer.url}mail/${mailServer.mails.length}`);
    assert.equal(res.headers()['content-security-policy'], MAIL_CSP);
    await page.waitForFunction(() => [...document.images].every((img) => img.complete));
    const seen = await page.evaluate(() => ({
      rows: document.querySelectorAll('table table table tr').length,
      images: [...document.images].map((img) => ({ alt: img.alt, natural: [img.naturalWidth, img.naturalHeight], shown: [img.width, img.height] })),
    }));
    assert.equal(seen.rows, 6, 'a heading row and 5 rows');
    assert.deepEqual(
      seen.images.map((img) => img.alt),
      ['val_loss', 'accuracy', 'loss'].map((m) => `${m} chart: a line per experiment`),
    );
    for (const img of seen.images) {
      assert.ok(img.natural[0] > 0, `${img.alt}: not drawn`);
      assert.deepEqual(img.natural, [img.shown[0] * 2, img.shown[1] * 2], `${img.alt}: twice the pixels of its size on the page`);
    }
    assert.deepEqual(
      requested.filter((url) => !url.startsWith(`${origin}/mail/`)),
      [],
      'the page loaded something besides the message and its parts',
    );
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-email.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});
