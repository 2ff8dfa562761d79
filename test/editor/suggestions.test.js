'use strict';
// Pick, don't paste: a new user builds the get-metrics example in Chromium
// against the sample server, every identifier picked from the suggestions of
// the edit dialogs (Node-RED's autoComplete), none typed or pasted. Run by
// scripts/test-all.sh's editor leg.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ids } = require('../../sample-server/data');
const { useEditorWorld, waitForTrays, dragToCanvas, screenshot } = require('../helpers/editor');

const SAMPLE_KEY = 'sample-key';
const LIST = '.red-ui-autoComplete-container:visible';
/** A failed test's whole page, never into docs/images/. */
const FAILED = path.join(__dirname, '..', '..', '.tmp', 'screenshots');

describe('editor: suggestions from Comet in the edit dialogs', function () {
  this.timeout(120000);
  let world;
  let page;
  let metricsNode;
  let configId;

  const editor = useEditorWorld();
  before(function () {
    ({ world, page } = editor);
  });

  // What the page showed when a test failed, and what it said: the next engineer sees why.
  afterEach(async function () {
    if (this.currentTest.state !== 'failed' || !page) return;
    fs.mkdirSync(FAILED, { recursive: true });
    await page.screenshot({ path: path.join(FAILED, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) });
    const notes = await page.evaluate(() => $('.red-ui-notification').toArray().map((n) => n.textContent.trim()));
    if (notes.length) console.log('notifications:', notes);
  });

  const dragIn = (type, x, y) => dragToCanvas(page, type, x, y);

  /** The text input of field `name` in the open dialog: a TypedInput's visible input, or the field itself. */
  function inputOf(name, prefix = 'node-input') {
    return page.locator(`.red-ui-tray [id="${prefix}-${name}"] + .red-ui-typedInput-container input.red-ui-typedInput-input, .red-ui-tray input[id="${prefix}-${name}"]:not([type="hidden"])`).first();
  }

  /** Types `text` into a blank field and resolves with the lines of the suggestion list that then shows. */
  async function typeAndList(name, text, prefix) {
    const input = inputOf(name, prefix);
    await input.fill('');
    await input.click();
    await page.keyboard.type(text);
    // The list slides open: measured and shot once it has.
    await page.waitForFunction((list) => $(list).find('li').length > 0 && !$(list).is(':animated'), LIST);
    return page.evaluate((list) => $(list).find('li').toArray().map((li) => li.textContent.trim()), LIST);
  }

  /** Clicks the suggestion whose line starts with `text`. */
  async function pick(text) {
    await page.locator(`${LIST} li a`, { hasText: text }).first().click();
    await page.waitForFunction((list) => $(list).length === 0, LIST);
  }

  /** The dialog down to its last row, and the suggestion list, for a screenshot; once Node-RED's notifications (deployed...) have gone. */
  async function dialogAndList() {
    await page.waitForFunction(() => $('.red-ui-notification:visible').length === 0, null, { timeout: 15000 });
    return page.evaluate((list) => {
      const tray = $('.red-ui-tray').last()[0].getBoundingClientRect();
      const parts = [...$('.red-ui-tray').last().find('.form-row:visible').toArray(), ...$(list).toArray()].map((el) => el.getBoundingClientRect());
      const bottom = Math.min(window.innerHeight, Math.max(...parts.map((b) => b.bottom)) + 24);
      const right = Math.max(tray.right, ...parts.map((b) => b.right));
      return { x: tray.left, y: tray.top, width: right - tray.left, height: bottom - tray.top };
    }, LIST);
  }

  it('before the config node is deployed, the fields say to deploy it', async () => {
    metricsNode = await dragIn('comet-get-metrics', 380, 120);
    await page.locator(`[id="${metricsNode}"]`).dblclick();
    await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await waitForTrays(page);

    await page.click('#node-input-btn-server-add');
    await page.waitForSelector('#node-config-input-baseUrl', { state: 'visible' });
    await waitForTrays(page);
    await page.fill('#node-config-input-name', 'sample Comet');
    await page.fill('#node-config-input-baseUrl', world.sample.url);
    await page.fill('#node-config-input-apiKey', SAMPLE_KEY);
    const inConfig = await typeAndList('workspace', 'ml', 'node-config-input');
    assert.equal(inConfig.length, 1);
    assert.match(inConfig[0], /Deploy the config node first/);
    await page.fill('#node-config-input-workspace', 'ml-team');
    await page.click('#node-config-dialog-ok');
    await page.waitForSelector('#node-config-input-baseUrl', { state: 'detached' });
    configId = await page.inputValue('#node-input-server');

    const lines = await typeAndList('experimentKey', 'xgb');
    assert.match(lines[0], /Deploy the config node first/);
    await inputOf('experimentKey').fill('');
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    const state = await page.evaluate((id) => ({ server: RED.nodes.node(id).server, valid: RED.nodes.node(id).valid, errors: RED.nodes.node(id).validationErrors }), metricsNode);
    assert.deepEqual(state, { server: configId, valid: true, errors: [] });
    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction(() => !RED.nodes.dirty());
  });

  it('typing "xgb" in the experiment key lists the experiments by name; picking one puts its key in the field', async () => {
    await page.locator(`[id="${metricsNode}"]`).dblclick();
    await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await waitForTrays(page);
    world.sample.clearRequests();

    const lines = await typeAndList('experimentKey', 'xgb');
    for (const name of ['xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10']) {
      assert.ok(lines.some((line) => line.startsWith(`${name} · churn`) && line.endsWith(ids.experiments[name])), `${name} is not listed: ${lines}`);
    }
    assert.ok(lines.some((line) => line.startsWith('fraud-xgb · fraud')));
    assert.ok(!lines.some((line) => line.includes('logreg')), 'a name without "xgb" is listed');
    await screenshot(page, 'suggestions-experiment-key', await dialogAndList());

    await pick('xgb-depth8 · churn');
    assert.equal(await inputOf('experimentKey').inputValue(), ids.experiments['xgb-depth8']);
    assert.equal(await page.inputValue('#node-input-experimentKey'), ids.experiments['xgb-depth8'], 'the node property is not the key');
  });

  it("the metric name lists the picked experiment's metrics", async () => {
    const lines = await typeAndList('metricName', 'lo');
    assert.deepEqual(lines, ['loss', 'val_loss']);
    await screenshot(page, 'suggestions-metric-name', await dialogAndList());
    await pick('loss');
    assert.equal(await page.inputValue('#node-input-metricName'), 'loss');
    assert.deepEqual(
      world.sample.requests.map((r) => r.path).sort(),
      ['experiment/metrics/summary', 'experiments', 'experiments', 'projects'],
      'each list cost one request to Comet, the experiments one per project that has any',
    );
  });

  it('suggests only while the field is text: a msg field gets Node-RED\'s msg completions, a text one ours again', async () => {
    const typeOf = (type) => page.evaluate((t) => $('#node-input-experimentKey').typedInput('type', t), type);
    await typeOf('msg');
    const asMsg = await typeAndList('experimentKey', 'pay');
    assert.ok(asMsg.includes('payload'), asMsg.join(', '));
    assert.ok(!asMsg.some((line) => line.includes('churn')), asMsg.join(', '));
    await page.keyboard.press('Escape');
    await page.waitForFunction((list) => $(list).length === 0, LIST);
    await typeOf('str');
    assert.ok((await typeAndList('experimentKey', 'depth8'))[0].startsWith('xgb-depth8 · churn'));
    await pick('xgb-depth8');
  });

  it('the node built from picks alone runs: the metric reaches the debug sidebar', async () => {
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    const node = await page.evaluate((id) => ({ experimentKey: RED.nodes.node(id).experimentKey, metricName: RED.nodes.node(id).metricName, server: RED.nodes.node(id).server }), metricsNode);
    assert.deepEqual(node, { experimentKey: ids.experiments['xgb-depth8'], metricName: 'loss', server: configId });

    const inject = await dragIn('inject', 160, 120);
    const debug = await dragIn('debug', 600, 120);
    await page.evaluate(([from, via, to]) => {
      RED.nodes.addLink({ source: RED.nodes.node(from), sourcePort: 0, target: RED.nodes.node(via) });
      RED.nodes.addLink({ source: RED.nodes.node(via), sourcePort: 0, target: RED.nodes.node(to) });
      RED.nodes.dirty(true);
      RED.view.redraw(true);
    }, [inject, metricsNode, debug]);
    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction(() => !RED.nodes.dirty());
    await page.evaluate(() => RED.sidebar.show('debug'));
    await page.click(`[id="${inject}"] .red-ui-flow-node-button`);
    await page.waitForFunction(() => $('.red-ui-debug-msg').length > 0, null, { timeout: 15000 });
    assert.match(await page.evaluate(() => $('.red-ui-debug-msg').first().text()), /metrics/);
    await page.waitForFunction((id) => (RED.nodes.node(id).status || {}).fill === 'green', metricsNode);
    assert.equal(await page.evaluate((id) => RED.nodes.node(id).status.text, metricsNode), 'loss: 150 values');
  });

  it("a metric watch's rules: a line's metric name is picked from the project's metrics, the other lines kept; its experiments item by item", async () => {
    const watch = await dragIn('comet-metric-watch', 380, 240);
    await page.locator(`[id="${watch}"]`).dblclick();
    await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await waitForTrays(page);
    await page.selectOption('#node-input-server', configId);
    await page.fill('#node-input-projectName', 'churn');
    world.sample.clearRequests();
    const rules = page.locator('#node-input-rules');
    await rules.fill('');
    await rules.click();
    await page.keyboard.type('val_loss > 2');
    await page.keyboard.press('Enter');
    await page.keyboard.type('lo');
    await page.waitForFunction((list) => $(list).find('li').length > 0 && !$(list).is(':animated'), LIST);
    const lines = await page.evaluate((list) => $(list).find('li').toArray().map((li) => li.textContent.trim()), LIST);
    assert.deepEqual(lines, ['loss', 'val_loss']);
    await screenshot(page, 'suggestions-metric-rules', await dialogAndList());
    await pick('loss');
    assert.equal(await rules.inputValue(), 'val_loss > 2\nloss');
    await page.keyboard.type(' not finite');
    assert.deepEqual(world.sample.requests.map((r) => r.path), ['project/column-names'], "one request: the project's metric columns");
    // Its experiments field is a list too: a pick fills the item at the caret, the keys before it kept.
    const keys = page.locator('#node-input-experimentKeys');
    await keys.fill(`${ids.experiments['xgb-depth8']}, `);
    await keys.focus();
    await page.keyboard.press('End');
    await page.keyboard.type('mlp');
    await page.waitForFunction((list) => $(list).find('li').length > 0 && !$(list).is(':animated'), LIST);
    await pick('mlp-2x64');
    const chosen = `${ids.experiments['xgb-depth8']}, ${ids.experiments['mlp-2x64']}`;
    assert.equal(await keys.inputValue(), chosen);
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    assert.equal(await page.evaluate((id) => RED.nodes.node(id).rules, watch), 'val_loss > 2\nloss not finite');
    assert.equal(await page.evaluate((id) => RED.nodes.node(id).experimentKeys, watch), chosen);
    await page.evaluate((id) => {
      RED.view.select({ nodes: [RED.nodes.node(id)] });
      RED.actions.invoke('core:delete-selection');
    }, watch);
  });

  it('had no page error or failed request but the lookups made before the deploy', () => {
    // Those answered 404 "deploy it first", as they should; Chromium logs each as a failed resource too.
    const expected = world.problems.filter((p) => /HTTP 404: GET .*\/comet-config\/[^/]+\/lookup\//.test(p));
    assert.equal(expected.length, 2, world.problems.join('\n'));
    const others = world.problems.filter((p) => !expected.includes(p));
    const resourceNotes = others.filter((p) => /console error: Failed to load resource: the server responded with a status of 404/.test(p));
    assert.deepEqual(others.filter((p) => !resourceNotes.includes(p)), []);
    assert.ok(resourceNotes.length <= expected.length);
  });
});
