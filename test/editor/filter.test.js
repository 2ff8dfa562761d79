'use strict';
// The filter field in Chromium: a person types a filter with a typo into a
// query project node's dialog, sees the column names suggested as they type,
// the error with the nearest name under the field (no deploy), picks the
// right name and sees the predicates it compiles into; the report's metrics
// and params lists suggest the project's names item by item. Run by
// scripts/test-all.sh's editor leg.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useEditorWorld, openEditor, waitForTrays, screenshot } = require('../helpers/editor');

const SAMPLE_KEY = 'sample-key';
const LIST = '.red-ui-autoComplete-container:visible';
const PREVIEW = '.red-ui-tray .comet-filter-preview';
const FAILED = path.join(__dirname, '..', '..', '.tmp', 'screenshots');

describe('editor: the filter field, its suggestions and its preview', function () {
  this.timeout(120000);
  let world;
  let page;
  const editor = useEditorWorld();

  before(async function () {
    ({ world, page } = editor);
    // A deployed config node, a query node and a report on the churn project, as a flow file has them.
    const flow = [
      { id: 'tab', type: 'tab', label: 'filters' },
      { id: 'cfg', type: 'comet-config', name: 'sample Comet', baseUrl: world.sample.url, workspace: 'ml-team', credentials: { apiKey: SAMPLE_KEY } },
      { id: 'query', z: 'tab', type: 'comet-query-project', server: 'cfg', operation: 'query', projectName: 'churn', projectNameType: 'str', x: 200, y: 100, wires: [] },
      { id: 'report', z: 'tab', type: 'comet-report', server: 'cfg', projectName: 'churn', projectNameType: 'str', x: 200, y: 180, wires: [] },
    ];
    const deployed = await fetch(`${world.nodeRed.url}flows`, { method: 'POST', headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body: JSON.stringify(flow) });
    assert.equal(deployed.status, 204);
    await openEditor(page, world.nodeRed.url);
    // Reloading cut off what the first load still fetched (Node-RED's vendor scripts): not this page's problems.
    world.problems.splice(0);
  });

  afterEach(async function () {
    if (this.currentTest.state !== 'failed' || !page) return;
    fs.mkdirSync(FAILED, { recursive: true });
    await page.screenshot({ path: path.join(FAILED, `failed-filter-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) });
  });

  function inputOf(name) {
    return page.locator(`.red-ui-tray [id="node-input-${name}"] + .red-ui-typedInput-container input.red-ui-typedInput-input`).first();
  }

  /** The lines of the suggestion list, once it has opened. */
  async function listed() {
    await page.waitForFunction((list) => $(list).find('li').length > 0 && !$(list).is(':animated'), LIST);
    return page.evaluate((list) => $(list).find('li').toArray().map((li) => li.textContent.trim()), LIST);
  }

  async function pick(text) {
    await page.locator(`${LIST} li a`, { hasText: text }).first().click();
    await page.waitForFunction((list) => $(list).length === 0, LIST);
  }

  /** Waits for the preview to show `state` (error, compiled) holding `text`; resolves with its text. */
  async function previewShows(state, text) {
    await page.waitForFunction(
      ([box, s, t]) => $(box).attr('data-state') === s && $(box).is(':visible') && $(box).text().includes(t),
      [PREVIEW, state, text],
    );
    return page.evaluate((box) => $(box).text(), PREVIEW);
  }

  /** The filter row with its preview and the suggestion list, for a screenshot. */
  function fieldAndPreview() {
    return page.evaluate((list) => {
      const row = $('.red-ui-tray [data-param="filter"]')[0].getBoundingClientRect();
      const parts = [row, ...$(list).toArray().map((el) => el.getBoundingClientRect())];
      const top = Math.min(...parts.map((b) => b.top)) - 12;
      const bottom = Math.max(...parts.map((b) => b.bottom)) + 12;
      const left = row.left - 12;
      return { x: left, y: top, width: Math.max(...parts.map((b) => b.right)) - left + 12, height: bottom - top };
    }, LIST);
  }

  async function openDialog(id) {
    await page.locator(`[id="${id}"]`).dblclick();
    await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await waitForTrays(page);
  }

  it('typing a name suggests the columns that hold it, with their source', async () => {
    await openDialog('query');
    world.sample.clearRequests();
    await inputOf('filter').click();
    await page.keyboard.type('ac');
    const lines = await listed();
    assert.ok(lines.some((l) => l.startsWith('accuracy · metric')), lines.join(' | '));
    assert.ok(!lines.some((l) => l.startsWith('model_type')), lines.join(' | '));
    await page.keyboard.press('Escape');
  });

  it('a typo: under the field, before any deploy, the error with the nearest name; a name picked mid-filter fills only its word', async () => {
    const input = inputOf('filter');
    await input.fill('');
    await input.click();
    await page.keyboard.type('acuracy > 0.8 and mod');
    assert.deepEqual(await listed(), ['model_type · param']);
    await pick('model_type');
    assert.equal(await input.inputValue(), 'acuracy > 0.8 and model_type');
    await input.press('End');
    await page.keyboard.type(' == "xgboost"');
    await page.keyboard.press('Escape');
    const text = await previewShows('error', 'unknown column');
    assert.match(text, /unknown column "acuracy": did you mean accuracy \(metric\)\?/);
    await screenshot(page, 'filter-error', await fieldAndPreview());
  });

  it('the typo mended from the suggestions: the word at the caret replaced, the rest kept, the predicates shown', async () => {
    const input = inputOf('filter');
    // The typo selected, as a double click selects it, and typed over.
    await input.evaluate((el) => el.setSelectionRange(0, 'acuracy'.length));
    await page.keyboard.type('acc');
    assert.ok((await listed()).some((l) => l.startsWith('accuracy · metric')));
    await screenshot(page, 'filter-suggestions', await fieldAndPreview());
    await pick('accuracy · metric');
    assert.equal(await input.inputValue(), 'accuracy > 0.8 and model_type == "xgboost"');
    const text = await previewShows('compiled', 'Sends 1 query');
    assert.match(text, /metrics · accuracy greater 0\.8 \(double\)/);
    assert.match(text, /params · model_type equal "xgboost" \(string\)/);
    const predicates = await page.evaluate((box) => JSON.parse($(box).find('.comet-filter-predicates').text()), PREVIEW);
    assert.deepEqual(predicates.map((p) => p.source), ['metrics', 'params']);
    await screenshot(page, 'filter-preview', await fieldAndPreview());
    const paths = world.sample.requests.map((r) => r.path);
    assert.deepEqual(paths, ['project/column-names'], 'the suggestions and every preview came from one request for the columns');
  });

  it('an or: the preview says how many queries, and the node keeps the filter', async () => {
    const input = inputOf('filter');
    await input.fill('tag("best") or model_type == "mlp"');
    await input.press('End');
    const text = await previewShows('compiled', 'Sends 2 queries, one per "or" branch');
    assert.match(text, /query 1 of 2:\s*tag · best equal "best" \(string\)\s*query 2 of 2:\s*params · model_type equal "mlp"/);
    await screenshot(page, 'filter-preview-or', await fieldAndPreview());
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
    assert.equal(await page.evaluate(() => RED.nodes.node('query').filter), 'tag("best") or model_type == "mlp"');
  });

  it("the report's metrics and params lists: each item suggested from the project's names", async () => {
    await openDialog('report');
    const metrics = inputOf('metrics');
    await page.evaluate(() => $('#node-input-metrics').typedInput('type', 'str'));
    await metrics.click();
    await page.keyboard.type('loss:min, acc');
    assert.deepEqual(await listed(), ['accuracy']);
    await pick('accuracy');
    assert.equal(await metrics.inputValue(), 'loss:min, accuracy');
    const params = inputOf('params');
    await params.click();
    await page.keyboard.type('["max_depth", "lea');
    assert.deepEqual(await listed(), ['learning_rate']);
    await pick('learning_rate');
    assert.equal(await params.inputValue(), '["max_depth", "learning_rate"');
    await page.click('#node-dialog-cancel');
    await page.waitForSelector('#node-dialog-cancel', { state: 'detached' });
  });

  it('had no page error and no failed request', () => {
    assert.deepEqual(world.problems, []);
  });
});
