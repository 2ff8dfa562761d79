'use strict';
// A local mail server for the demo and the tests: SMTP on 127.0.0.1
// (smtp-server, plain: no TLS, no login), each message kept raw and parsed
// (mailparser, cid: links kept as sent), and each shown on a page as a mail client shows it: its
// cid: images from its own parts, nothing else loaded (the page's
// Content-Security-Policy allows no script and no remote content).
//   GET /            the messages received, newest first
//   GET /mail/N      message N's HTML body (N from 1)
//   GET /mail/N/cid/ID  the part whose Content-ID is ID
//   GET /mail/N.eml  message N as it arrived
const http = require('node:http');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const EMAIL_NODE = 'node-red-node-email';

/** node-red-node-email, whose e-mail node the examples mail with, in the range this checkout is tested with (its devDependency). */
function emailNodeSpec() {
  return `${EMAIL_NODE}@${require(path.join(__dirname, '..', '..', 'package.json')).devDependencies[EMAIL_NODE]}`;
}

/** `nodes` with every e-mail node sending to 127.0.0.1:`smtpPort` (plain SMTP, no login), as the examples' do to the demo's. */
function toLocalMail(nodes, smtpPort) {
  return nodes.map((n) => (n.type === 'e-mail' ? { ...n, server: '127.0.0.1', port: String(smtpPort), secure: false, tls: false, authtype: 'NONE' } : n));
}

/** What a mail client allows an HTML message: its own images and inline styles. */
const MAIL_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** Message N's HTML with each cid: reference pointing at the route of that part. */
function withPartUrls(html, n) {
  return html.replace(/(["'(])cid:([^"')\s>]+)/gi, (_, before, cid) => `${before}/mail/${n}/cid/${encodeURIComponent(cid)}`);
}

function listPage(mails) {
  const items = mails
    .map((mail, i) => ({ mail, n: i + 1 }))
    .reverse()
    .map(({ mail, n }) => `<li><a href="/mail/${n}">${escapeHtml(mail.parsed.subject || '(no subject)')}</a> to ${escapeHtml(mail.parsed.to?.text || '')}, ${escapeHtml(mail.receivedAt.toISOString())} (<a href="/mail/${n}.eml">.eml</a>)</li>`);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Mail received</title></head><body style="font-family:sans-serif"><h1>Mail received</h1>${items.length ? `<ul>${items.join('')}</ul>` : '<p>None yet.</p>'}</body></html>`;
}

/**
 * Starts both servers (port 0: any free port). Returns { smtpPort, url,
 * mails, next(), received(count), close() }: `mails` as they arrived, each
 * { raw, parsed, receivedAt }; next() resolves with the next one to arrive,
 * received(count) once `count` have arrived in all.
 */
async function startMailServer({ smtpPort = 0, httpPort = 0, onMail = () => {} } = {}) {
  const mails = [];
  const waiting = [];
  const counting = new Map();
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', async () => {
        try {
          const raw = Buffer.concat(chunks);
          const mail = { raw, parsed: await simpleParser(raw, { keepCidLinks: true }), receivedAt: new Date() };
          mails.push(mail);
          callback();
          onMail(mail, mails.length);
          for (const resolve of waiting.splice(0)) resolve(mail);
          for (const [count, resolve] of counting) if (mails.length >= count) counting.delete(count) && resolve();
        } catch (err) {
          callback(err);
        }
      });
    },
  });
  const web = http.createServer((req, res) => {
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      // A malformed %-escape (`/%E0`) is the asker's mistake: thrown here, it would end the demo.
      return send(400, 'text/plain', 'malformed path');
    }
    if (path === '/') return send(200, 'text/html; charset=utf-8', listPage(mails));
    // A browser asks for one; there is none.
    if (path === '/favicon.ico') return send(204, 'image/x-icon', '');
    const match = /^\/mail\/(\d+)(\.eml|\/cid\/(.+))?$/.exec(path);
    const mail = match && mails[Number(match[1]) - 1];
    if (!mail) return send(404, 'text/plain', 'no such message');
    if (match[2] === '.eml') return send(200, 'message/rfc822', mail.raw);
    if (match[3]) {
      const part = mail.parsed.attachments.find((a) => a.contentId === `<${match[3]}>` || a.cid === match[3]);
      // A part is shown as an image would be: never run as a page of this origin, whatever type the mail gave it.
      const inert = { 'content-security-policy': "default-src 'none'; sandbox", 'x-content-type-options': 'nosniff' };
      return part ? send(200, part.contentType, part.content, inert) : send(404, 'text/plain', 'no such part');
    }
    const html = mail.parsed.html || `<pre>${escapeHtml(mail.parsed.text || '')}</pre>`;
    return send(200, 'text/html; charset=utf-8', withPartUrls(html, match[1]), { 'content-security-policy': MAIL_CSP });
  });
  await new Promise((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(smtpPort, '127.0.0.1', resolve);
  });
  try {
    await new Promise((resolve, reject) => {
      web.once('error', reject);
      web.listen(httpPort, '127.0.0.1', resolve);
    });
  } catch (err) {
    await new Promise((resolve) => smtp.close(resolve));
    throw err;
  }
  return {
    smtpPort: smtp.server.address().port,
    url: `http://127.0.0.1:${web.address().port}/`,
    mails,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    received: (count) => (mails.length >= count ? Promise.resolve() : new Promise((resolve) => counting.set(count, resolve))),
    close: () => {
      web.closeAllConnections();
      return Promise.all([new Promise((resolve) => smtp.close(resolve)), new Promise((resolve) => web.close(resolve))]);
    },
  };
}

module.exports = { startMailServer, emailNodeSpec, toLocalMail, MAIL_CSP };
