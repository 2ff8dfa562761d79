'use strict';
// The demo's mail (scripts/demo.js): node-red-node-email installed into the
// demo's user dir, and a local mail server (mail-server.js) for the examples'
// e-mail nodes, SMTP on 127.0.0.1:1025 and its pages on 127.0.0.1:8025 (the
// ports local mail catchers use), or free ports when those are taken. Each
// mail that arrives is told on the console with the page that shows it.
//   DEMO_SMTP_PORT, DEMO_MAIL_PORT   other ports
const { execFileSync } = require('node:child_process');
const { startMailServer, emailNodeSpec, toLocalMail } = require('./mail-server');

const SMTP_PORT = Number(process.env.DEMO_SMTP_PORT) || 1025;
const PAGE_PORT = Number(process.env.DEMO_MAIL_PORT) || 8025;

/** The mail server on the usual ports, else on free ones. */
async function listen(onMail) {
  try {
    return await startMailServer({ smtpPort: SMTP_PORT, httpPort: PAGE_PORT, onMail });
  } catch (err) {
    if (err.code !== 'EADDRINUSE') throw err;
    return startMailServer({ onMail });
  }
}

/**
 * Installs the e-mail node into `userDir` and starts the mail server.
 * Resolves with { url, withLocalMail(flow), close() }: withLocalMail points
 * the flow's e-mail nodes at this server.
 */
async function startDemoMail(userDir, log = console.log) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', emailNodeSpec()], { cwd: userDir, stdio: 'pipe' });
  const server = await listen((mail, n) => log(`  Mail received:    "${mail.parsed.subject}" to ${mail.parsed.to?.text}: ${server.url}mail/${n}`));
  return { url: server.url, withLocalMail: (flow) => toLocalMail(flow, server.smtpPort), close: () => server.close() };
}

module.exports = { startDemoMail };
