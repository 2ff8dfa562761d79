'use strict';
// The editor tests' world: the sample Comet server, a real Node-RED with this
// package installed from its tarball (as a user installs it), and Debian's
// Chromium driven by playwright-core, recording everything that goes wrong in
// the page.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { createSampleServer } = require('../../sample-server');
const { ROOT, PACKAGE, freePort, makeUserDir, installPackedPackage, dashboardSpec, writeSettings, startNodeRed } = require('../../scripts/lib/node-red');
const { startMailServer, emailNodeSpec } = require('../../scripts/lib/mail-server');

const CHROMIUM = '/usr/bin/chromium';
// As root, without the network: no sandbox, no GPU, and none of Chromium's own
// calls home (refused here, and noise in the logs).
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
/** Screenshots go to docs/images/ (used by the README) only when asked: UPDATE_SCREENSHOTS=1. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? path.join(ROOT, 'docs', 'images') : path.join(ROOT, '.tmp', 'screenshots');

/** What goes wrong in `page` from now on: page errors, console errors, failed or refused requests. */
function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.method()} ${req.url()} ${req.failure() && req.failure().errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  return problems;
}

/** Chromium on its own, for a page that needs no Node-RED (a report file): { browser, page, problems }. */
async function openBrowser(viewport = { width: 1000, height: 900 }) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport });
  return { browser, page, problems: watchProblems(page) };
}

/**
 * Starts everything; resolves with { sample, nodeRed, userDir, installed,
 * mailServer, page, problems, close() }. `installed` is the package's folder inside the
 * user dir; `problems` collects page errors, console errors and failed or
 * refused requests.
 */
async function startEditorWorld() {
  const sample = await createSampleServer();
  const userDir = makeUserDir('node-red-comet-editor-');
  // FlowFuse Dashboard and node-red-node-email beside it, as `npm start` has them: the examples use their nodes.
  installPackedPackage(userDir, [dashboardSpec(), emailNodeSpec()]);
  // Where the examples' e-mail nodes send (the editor test points them here).
  const mailServer = await startMailServer();
  const port = await freePort();
  // The palette manager's catalogue lives on the internet, which this machine has not.
  writeSettings(userDir, port, { editorTheme: { tours: false, palette: { catalogues: [] } } });
  const nodeRed = await startNodeRed({ userDir, port });

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  const problems = watchProblems(page);

  const close = async () => {
    await context.close().catch(() => {});
    await nodeRed.stop();
    await sample.close();
    await mailServer.close();
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  const installed = path.join(userDir, 'node_modules', ...PACKAGE.name.split('/'));
  return { sample, nodeRed, userDir, installed, mailServer, page, problems, close };
}

/**
 * Page side: tells when Node-RED's trays (the edit dialogs) have come to rest.
 * Node-RED slides a tray in with a CSS transition of `right` (after a
 * setTimeout, then resizes it 150 ms in), which jQuery's `:animated` does not
 * see: a dialog measured "when not :animated" could still be sliding in, and
 * its screenshot clip fell outside the page. A tray is at rest once it is at
 * right: 0, runs no transition or animation, and its bounding box has not
 * changed for two animation frames; until then `:animated` is true for it, so
 * a wait for `!$('.red-ui-tray').is(':animated')` waits for exactly that.
 */
function watchTrays() {
  if (window.__cometTrays) return;
  const seen = new WeakMap();
  const frame = () => {
    for (const tray of document.querySelectorAll('.red-ui-tray')) {
      const r = tray.getBoundingClientRect();
      const rect = `${r.left},${r.top},${r.width},${r.height}`;
      const last = seen.get(tray);
      seen.set(tray, { rect, still: last && last.rect === rect ? last.still + 1 : 0 });
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const atRest = (tray) => {
    const state = seen.get(tray);
    return !!state && state.still >= 2 && getComputedStyle(tray).right === '0px' && tray.getAnimations().length === 0;
  };
  window.__cometTrays = { allAtRest: () => Array.from(document.querySelectorAll('.red-ui-tray')).every(atRest) };
  const animated = $.expr.pseudos.animated;
  $.expr.pseudos.animated = function (elem) {
    return animated.apply(this, arguments) || (!!elem.classList && elem.classList.contains('red-ui-tray') && !atRest(elem));
  };
}

/** Loads the editor and waits until it has loaded every node definition and the flows. */
async function openEditor(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.version() && !$('.red-ui-palette-scroll').hasClass('hide'));
  await page.evaluate(watchTrays);
}

/** Waits until every open tray has come to rest (see watchTrays); at once when none is open. */
async function waitForTrays(page) {
  await page.waitForFunction(() => !window.__cometTrays || window.__cometTrays.allAtRest(), null, { polling: 'raf' });
}

/** Drags node `type` from the palette onto the canvas at (x, y), as a user does; resolves with the new node's id. */
async function dragToCanvas(page, type, x, y) {
  const before = await page.evaluate((t) => RED.nodes.filterNodes({ type: t }).map((n) => n.id), type);
  const item = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`).first();
  await item.scrollIntoViewIfNeeded();
  await item.dragTo(page.locator('#red-ui-workspace-chart'), { targetPosition: { x, y } });
  const id = await page.evaluate(([t, old]) => RED.nodes.filterNodes({ type: t }).map((n) => n.id).find((nid) => !old.includes(nid)), [type, before]);
  if (!id) throw new Error(`dragging ${type} onto the canvas added no node`);
  return id;
}

/** A PNG of the part of the page inside `box` ({x, y, width, height}), once no tray is moving. */
async function screenshot(page, name, box) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await waitForTrays(page);
  await page.screenshot({ path: file, clip: box });
  return file;
}

/**
 * Mocha hooks for the enclosing describe: the editor world started and the
 * editor opened before its tests, closed after them. Returns the object whose
 * `world` and `page` the hooks fill in.
 */
function useEditorWorld() {
  const state = {};
  before(async function () {
    this.timeout(300000);
    state.world = await startEditorWorld();
    state.page = state.world.page;
    await openEditor(state.page, state.world.nodeRed.url);
  });
  after(async () => {
    if (state.world) await state.world.close();
  });
  return state;
}

module.exports = { useEditorWorld, startEditorWorld, openBrowser, watchProblems, openEditor, waitForTrays, dragToCanvas, screenshot, SCREENSHOTS };
