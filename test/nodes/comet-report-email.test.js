'use strict';
// comet-report `format: email` through the real pieces: the report goes to
// node-red-node-email, which sends it to a local SMTP server (smtp-server) on
// 127.0.0.1, and the message that arrives is parsed (mailparser) and checked
// as a mail client would meet it: HTML with no SVG, no data: URI and no
// script; every cid: a PNG part; every PNG at twice the size its <img>
// announces, with its text drawn (resvg drops text it has no font for).
const assert = require('node:assert/strict');
const { PNG } = require('pngjs');
const { ids } = require('../../sample-server/data');
const { useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { churnTop5, loadMailFlow } = require('../helpers/report');
const { startMailServer } = require('../../scripts/lib/mail-server');

const { indexedPng } = require('../../nodes/report/png');

const NODE = churnTop5('email');
const KB = 1024;

/** Sends `msg` into the report node; resolves with the msg it sent on and the mail that arrived. */
async function reportAndMail(loaded, mailServer, msg) {
  const sent = loaded.outcomes.next();
  const mail = mailServer.next();
  loaded.node.receive({ from: 'node-red@example.com', ...msg });
  const { sent: out, caught } = await sent;
  if (caught) assert.fail(`the Catch node got: ${caught.error && caught.error.message}`);
  return { out, mail: (await mail).parsed };
}

/** The <img> tags of an HTML body: { cid, width, height, alt }. */
function imagesOf(html) {
  return [...html.matchAll(/<img\b[^>]*>/g)].map(([tag]) => {
    const attr = (name) => (new RegExp(`\\b${name}="([^"]*)"`).exec(tag) || [])[1];
    return { src: attr('src'), width: Number(attr('width')), height: Number(attr('height')), alt: attr('alt') };
  });
}

/** Pixels in the box (image pixels) darker than the light greys of grid and background: drawn text or lines. */
function inkIn(png, { left, top, right, bottom }) {
  let ink = 0;
  for (let y = Math.max(0, Math.floor(top)); y < Math.min(png.height, Math.ceil(bottom)); y++) {
    for (let x = Math.max(0, Math.floor(left)); x < Math.min(png.width, Math.ceil(right)); x++) {
      const i = (png.width * y + x) * 4;
      if (png.data[i + 3] > 0 && png.data[i] < 160 && png.data[i + 1] < 160 && png.data[i + 2] < 160) ink++;
    }
  }
  return ink;
}

/**
 * Where the chart's SVG puts its text, at `scale`: the title, and each y-axis
 * tick label (right-aligned at x, centred on y), as boxes of image pixels.
 */
function textBoxesOf(svg, scale) {
  const title = /<text x="([\d.]+)" y="([\d.]+)" font-size="15"[^>]*>([^<]*)<\/text>/.exec(svg);
  const boxes = [{ what: `title ${title[3]}`, left: Number(title[1]) * scale, right: (Number(title[1]) + 8 * title[3].length) * scale, top: (Number(title[2]) - 14) * scale, bottom: (Number(title[2]) + 3) * scale }];
  for (const [, x, y, label] of svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" dy="0.32em" text-anchor="end">([^<]*)<\/text>/g)) {
    boxes.push({ what: `y tick ${label}`, left: (Number(x) - 7 * label.length) * scale, right: Number(x) * scale, top: (Number(y) - 7) * scale, bottom: (Number(y) + 7) * scale });
  }
  return boxes;
}

describe('comet-report: e-mail through node-red-node-email', function () {
  this.timeout(30000);
  const ctx = useSampleServer();
  useNodeRed();
  let mailServer;
  before(async () => {
    mailServer = await startMailServer();
  });
  after(() => mailServer.close());

  it('arrives as HTML with no <svg>, no data: and no script, each chart an <img> of a cid: PNG part, sized and described', async function () {
    const loaded = await loadMailFlow(ctx.server, mailServer.smtpPort, NODE);
    const { out, mail } = await reportAndMail(loaded, mailServer, {});
    const { html } = mail;
    assert.equal(html, out.payload);
    assert.ok(!/<svg/i.test(html), 'an <svg> in the mail');
    assert.ok(!/data:/i.test(html), 'a data: URI in the mail');
    assert.ok(!/<script/i.test(html), 'a script in the mail');
    assert.ok(!/<style/i.test(html), 'styles belong inline');
    assert.equal((html.match(/<tr>/g) || []).length, 2 + 1 + 5, 'two rows of layout, a heading row and 5 rows');
    const images = imagesOf(html);
    assert.equal(images.length, 3);
    const referenced = [...html.matchAll(/cid:([^"'\s>)]+)/g)].map((m) => m[1]);
    assert.deepEqual(referenced, images.map((img) => img.src.slice(4)));
    const parts = mail.attachments;
    assert.equal(parts.length, 3);
    for (const [i, img] of images.entries()) {
      const part = parts.find((p) => p.contentId === `<${referenced[i]}>`);
      assert.ok(part, `no part for cid:${referenced[i]}`);
      assert.equal(part.contentType, 'image/png');
      assert.equal(img.alt, `${['val_loss', 'accuracy', 'loss'][i]} chart: a line per experiment`);
      const svg = Object.values(out.charts)[i];
      assert.deepEqual([img.width, img.height], [Number(/ width="(\d+)"/.exec(svg)[1]), Number(/ height="(\d+)"/.exec(svg)[1])], 'the <img> announces the chart\'s size');
      const png = PNG.sync.read(part.content);
      assert.deepEqual([png.width, png.height], [img.width * 2, img.height * 2], 'drawn at 2x');
      for (const box of textBoxesOf(svg, 2)) assert.ok(inkIn(png, box) > 20, `${part.filename}: no text drawn for the ${box.what}`);
      // Outside the text, the background is what the chart paints: white.
      assert.equal(inkIn(png, { left: 0, top: 0, right: 2 * 60, bottom: 2 * 8 }), 0);
    }
  });

  it('the msg is what node-red-node-email needs: payload HTML, attachments in nodemailer\'s form, plaintext, a subject in msg.topic', async function () {
    const loaded = await loadMailFlow(ctx.server, mailServer.smtpPort, NODE);
    const { out, mail } = await reportAndMail(loaded, mailServer, { topic: '' });
    const day = out.report.generatedAt.slice(0, 10);
    assert.equal(out.topic, `Comet report: ml-team/churn, ${day}`);
    assert.equal(mail.subject, out.topic);
    assert.deepEqual(
      out.attachments.map((a) => Object.keys(a).sort()),
      out.attachments.map(() => ['cid', 'content', 'contentType', 'filename']),
    );
    assert.deepEqual(out.attachments.map((a) => [a.filename, a.contentType, a.cid, Buffer.isBuffer(a.content)]), [
      ['chart-1-val_loss.png', 'image/png', 'chart-1@comet-report', true],
      ['chart-2-accuracy.png', 'image/png', 'chart-2@comet-report', true],
      ['chart-3-loss.png', 'image/png', 'chart-3@comet-report', true],
    ]);
    assert.match(out.filename, /^churn-report-\d{4}-\d{2}-\d{2}\.html$/);
    // The text part: the table, aligned, each row once, and the charts named.
    assert.equal(mail.text.trim(), out.plaintext.trim());
    const lines = out.plaintext.split('\n');
    assert.match(lines[0], /^ml-team\/churn: 5 of 6 experiments by val_loss:min, lowest first$/);
    assert.match(lines[2], /^experiment +key +val_loss:min +accuracy:max +loss:min +model_type +learning_rate +max_depth$/);
    assert.match(lines[3], /^-+( +-+){7}$/);
    for (const [i, row] of out.report.rows.entries()) {
      assert.ok(lines[4 + i].startsWith(`${row.experimentName} `), lines[4 + i]);
      assert.ok(lines[4 + i].includes(` ${row.experimentKey} `));
      assert.equal(lines[4 + i].indexOf(String(row['val_loss:min'])) + String(row['val_loss:min']).length, lines[2].indexOf('val_loss:min') + 'val_loss:min'.length, 'numbers right-aligned under their heading');
    }
    assert.ok(out.plaintext.includes('Charts (attached as PNG images): val_loss, accuracy, loss.'));
  });

  it('a msg that came with a topic keeps it as the subject', async function () {
    const loaded = await loadMailFlow(ctx.server, mailServer.smtpPort, { ...NODE, charts: 'false' });
    const { out, mail } = await reportAndMail(loaded, mailServer, { topic: 'Nightly: churn' });
    assert.equal(out.topic, 'Nightly: churn');
    assert.equal(mail.subject, 'Nightly: churn');
  });

  it('without charts: the table alone, no image and no attachment', async function () {
    const loaded = await loadMailFlow(ctx.server, mailServer.smtpPort, { ...NODE, charts: 'false' });
    const { out, mail } = await reportAndMail(loaded, mailServer, {});
    assert.deepEqual(out.attachments, []);
    assert.equal(out.charts, undefined);
    assert.ok(!/<img|cid:/.test(mail.html));
    assert.equal(mail.attachments.length, 0);
    assert.ok(!out.plaintext.includes('Charts'));
  });

  it('a top-50 report with 3 charts: the HTML under 100 KB (Gmail clips at about 102 KB), each PNG under 100 KB', async function () {
    const bench = ctx.server.data.setChartSize({ experiments: 60, metrics: 3, points: 1500 });
    const node = { ...NODE, projectName: 'chart-bench', metrics: bench.metricNames.map((m) => `${m}:min`).join(', '), params: 'index, learning_rate', limit: '50' };
    const loaded = await loadMailFlow(ctx.server, mailServer.smtpPort, node);
    const { out, mail } = await reportAndMail(loaded, mailServer, {});
    assert.equal(out.report.rows.length, 50);
    assert.equal(mail.attachments.length, 3);
    const htmlBytes = Buffer.byteLength(mail.html);
    assert.ok(htmlBytes < 100 * KB, `HTML ${htmlBytes} bytes`);
    for (const part of mail.attachments) {
      assert.ok(part.size < 100 * KB, `${part.filename}: ${part.size} bytes`);
      const png = PNG.sync.read(part.content);
      const svg = out.charts[bench.metricNames[mail.attachments.indexOf(part)]];
      assert.equal(png.width, 2 * Number(/ width="(\d+)"/.exec(svg)[1]));
    }
  });

  it('names people logged are text in the HTML and the text part, never markup', async function () {
    const exp = ctx.server.data.experiments[ids.experiments['xgb-depth8']];
    const name = exp.experimentName;
    exp.experimentName = '<img src=x onerror="alert(1)">';
    try {
      const loaded = await loadMailFlow(ctx.server, mailServer.smtpPort, NODE);
      const { mail } = await reportAndMail(loaded, mailServer, {});
      assert.ok(mail.html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'));
      assert.ok(!mail.html.includes('<img src=x'));
      assert.equal(imagesOf(mail.html).length, 3);
      assert.ok(mail.text.includes('<img src=x onerror="alert(1)">'));
    } finally {
      exp.experimentName = name;
    }
  });
});

describe('comet-report: indexed PNG of a chart', function () {
  /** RGBA pixels of `width` x `height`, pixel i coloured by colourOf(i) as [r, g, b, a]. */
  function pixels(width, height, colourOf) {
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set(colourOf(i), i * 4);
    return rgba;
  }

  it('decodes (pngjs) to the very pixels it was given', async function () {
    const colours = [[255, 255, 255, 255], [78, 121, 167, 255], [34, 34, 34, 255]];
    const rgba = pixels(37, 11, (i) => colours[(i * 7) % 3]);
    const png = PNG.sync.read(await indexedPng(rgba, 37, 11));
    assert.deepEqual([png.width, png.height], [37, 11]);
    assert.ok(png.data.equals(rgba));
    // Pixels that do not start on a 4-byte boundary of their memory, as a Buffer may not.
    const unaligned = Buffer.concat([Buffer.alloc(1), rgba]).subarray(1);
    assert.ok(PNG.sync.read(await indexedPng(unaligned, 37, 11)).data.equals(rgba));
  });

  it('null for more than 256 colours, or a pixel that is not opaque: resvg\'s own PNG is used then', async function () {
    assert.equal(await indexedPng(pixels(300, 1, (i) => [i & 255, i >> 8, 0, 255]), 300, 1), null);
    assert.equal(await indexedPng(pixels(2, 2, (i) => [0, 0, 0, i === 3 ? 128 : 255]), 2, 2), null);
  });
});
