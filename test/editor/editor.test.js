'use strict';
// The package as a user meets it: installed from its tarball into a real
// Node-RED, used in Chromium. Palette, every dialog and operation, help, the
// config node's Test connection and secrecy, the example flows (laid out
// readably, each one running), and the dashboard example's page.
// Run by scripts/test-all.sh (not part of the plain unit glob).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useEditorWorld, openEditor, screenshot, watchProblems, dragToCanvas, SCREENSHOTS } = require('../helpers/editor');
const { combineExamples } = require('../../scripts/lib/examples');
const { toLocalMail } = require('../../scripts/lib/mail-server');
const { until } = require('../helpers/wait');

/** The contract's node types (shared/spec/nodes.md) with their palette labels, and fields of nodes outside the catalogue. */
const CONTRACT = {
  'comet-get-projects': { label: 'get projects' },
  'comet-query-project': { label: 'query project' },
  'comet-get-experiment': { label: 'get experiment' },
  'comet-get-metrics': { label: 'get metrics' },
  'comet-get-registry-model': { label: 'get registry model' },
  'comet-download-model': { label: 'download model', fields: ['server', 'output', 'path'] },
  'comet-get-webhook-config': { label: 'get webhook config' },
  'comet-get-panels': { label: 'get panels' },
  'comet-get-best-experiment': { label: 'best experiment' },
  'comet-model-watch': { label: 'watch model', fields: ['server', 'workspace', 'modelName', 'interval', 'emitInitial'] },
  'comet-experiment-watch': { label: 'watch experiments', fields: ['server', 'workspace', 'projectName', 'projectId', 'interval', 'emitInitial', 'store'] },
  'comet-metric-watch': {
    label: 'watch metrics',
    fields: ['server', 'workspace', 'projectName', 'projectId', 'experimentKeys', 'rules', 'interval', 'emitInitial', 'sendResolved', 'store'],
  },
  'comet-webhook-in': { label: 'comet webhook', fields: ['path', 'secret', 'header'] },
  'comet-request': { label: 'comet request', fields: ['server', 'method', 'path'] },
  'comet-report': { label: 'comet report', fields: ['server', 'projectName', 'metrics', 'params', 'sortBy', 'limit', 'format', 'charts'] },
};
const TYPES = Object.keys(CONTRACT);
const CONFIG = 'comet-config';
const PALETTE = '#red-ui-palette-Comet_ML';
const SAMPLE_KEY = 'sample-key';
const WRONG_KEY = 'not-a-valid-key';

const squash = (text) => text.replace(/\s+/g, ' ').trim();

/** The space a wire needs between two nodes to run left to right: less, and Node-RED draws it doubling back. */
const WIRE_GAP = 20;

/** Page side: what is wrong with the layout of tab `z` as drawn: node boxes that overlap, wires that do not run left to right. */
function layoutProblems([z, gap]) {
  const nodes = RED.nodes.filterNodes({ z });
  const box = (n) => ({ left: n.x - n.w / 2, right: n.x + n.w / 2, top: n.y - n.h / 2, bottom: n.y + n.h / 2 });
  const name = (n) => `${n.type} "${n.name || n.id}"`;
  const problems = [];
  nodes.forEach((a, i) => {
    for (const b of nodes.slice(i + 1)) {
      const [p, q] = [box(a), box(b)];
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) problems.push(`${name(a)} and ${name(b)} overlap`);
    }
    for (const { target } of RED.nodes.filterLinks({ source: a })) {
      if (target.z === z && box(target).left - box(a).right < gap) problems.push(`the wire ${name(a)} -> ${name(target)} does not run left to right`);
    }
  });
  return problems;
}

/** Page side: how many pixels of each colour (#rrggbb) the first canvas inside `selector` has; null while one has fewer than `min`. */
function colourCounts([selector, colours, min = 0]) {
  const canvas = document.querySelector(`${selector} canvas`);
  if (!canvas || !canvas.width) return null;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const rgb = colours.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
  const counts = rgb.map(() => 0);
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 200) continue;
    rgb.forEach(([r, g, b], k) => {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30) counts[k]++;
    });
  }
  return counts.every((n) => n >= min) ? counts : null;
}

describe('editor: the package in Node-RED and Chromium', function () {
  this.timeout(120000);
  let world;
  let page;
  let catalogue;

  const editor = useEditorWorld();
  before(function () {
    ({ world, page } = editor);
    catalogue = require(path.join(world.installed, 'nodes', 'catalogue', 'catalogue.js')).CATALOGUE;
  });

  /** Drags `type` from the palette onto the canvas at (x, y) and resolves with the new node's id. */
  const dragIn = (type, x = 260, y = 120) => dragToCanvas(page, type, x, y);

  async function openDialog(id) {
    await page.locator(`[id="${id}"]`).dblclick();
    await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await page.waitForFunction(() => !$('.red-ui-tray').is(':animated'));
  }

  async function closeDialog(button = '#node-dialog-cancel') {
    await page.click(button);
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
  }

  async function removeNode(id) {
    await page.locator(`[id="${id}"]`).click();
    await page.keyboard.press('Delete');
    assert.ok(!(await page.evaluate((nid) => !!RED.nodes.node(nid), id)), `${id} is still in the flow`);
  }

  /** The dialog, cropped to what it shows. */
  function dialogBox() {
    return page.evaluate(() => {
      const tray = $('.red-ui-tray').last();
      const top = tray.offset().top;
      const rows = tray.find('.form-row:visible').toArray();
      const bottom = Math.max(top + 240, ...rows.map((r) => $(r).offset().top + $(r).outerHeight() + 16));
      return { x: tray.offset().left, y: top, width: tray.outerWidth(), height: Math.min(bottom, window.innerHeight) - top };
    });
  }

  describe('palette', () => {
    it('shows every node type of the contract in the Comet ML category, with its label', async () => {
      const shown = await page.$$eval(`${PALETTE} .red-ui-palette-node`, (items) =>
        items.map((item) => ({ type: item.dataset.paletteType, label: item.querySelector('.red-ui-palette-label').textContent }))
      );
      const labels = Object.fromEntries(shown.map(({ type, label }) => [type, squash(label)]));
      for (const type of TYPES) assert.equal(labels[type], CONTRACT[type].label, `palette label of ${type}`);
      assert.ok(await page.evaluate((t) => !!RED.nodes.getType(t), CONFIG), 'comet-config is not registered');
    });

    it("draws each node with the package's own icon, loaded from Node-RED", async () => {
      for (const type of TYPES) {
        const icon = await page.getAttribute(`${PALETTE} .red-ui-palette-node[data-palette-type="${type}"] .red-ui-palette-icon-container`, 'data-palette-icon');
        assert.match(icon || '', /^icons\/@flowml\/node-red-comet\/[\w-]+\.svg$/, `${type} shows ${icon}`);
        const loaded = await page.evaluate(async (url) => (await fetch(url)).headers.get('content-type'), icon);
        assert.match(loaded || '', /svg/, `${icon} is not served as an SVG`);
      }
    });
  });

  describe('dialogs', () => {
    // A failed check must not leave its dialog over the palette for the next one.
    afterEach(async () => {
      for (let open = await page.locator('.red-ui-tray').count(); open > 0; open--) {
        await page.evaluate(() => RED.tray.close());
        await page.waitForFunction((n) => $('.red-ui-tray').length < n, open);
      }
      await page.evaluate((types) => {
        const left = RED.nodes.filterNodes({}).filter((n) => types.includes(n.type));
        if (!left.length) return;
        RED.view.select({ nodes: left });
        RED.actions.invoke('core:delete-selection');
      }, TYPES);
    });

    for (const type of TYPES) {
      it(`${type}: dragged in, its dialog shows exactly the fields of each operation, and its help`, async () => {
        const id = await dragIn(type);
        await openDialog(id);
        const spec = catalogue[type];
        if (spec) {
          const operations = Object.keys(spec.operations);
          const offered = await page.$$eval('#node-input-operation option', (options) => options.map((o) => o.value));
          assert.deepEqual(offered, operations, 'operations offered');
          for (const op of operations) {
            if (operations.length > 1) await page.selectOption('#node-input-operation', op);
            const shown = await page.$$eval('.comet-param', (rows) => rows.filter((r) => r.offsetParent !== null).map((r) => r.dataset.param));
            const wanted = [...spec.operations[op].params, ...(spec.operations[op].options || [])].map((p) => p.name);
            assert.deepEqual(shown.sort(), wanted.sort(), `fields of ${type} ${op}`);
          }
          if (operations.length > 1) await page.selectOption('#node-input-operation', operations[0]);
        }
        // Fields outside the catalogue may show only when they apply (a download's path), so: present.
        for (const field of CONTRACT[type].fields || []) {
          assert.equal(await page.locator(`.red-ui-tray #node-input-${field}`).count(), 1, `${type}: no field ${field}`);
        }
        await screenshot(page, `dialog-${type}`, await dialogBox());
        await closeDialog();

        await page.evaluate((t) => RED.sidebar.help.show(t), type);
        const help = await page.evaluate((t) => {
          const template = $(`script[data-help-name="${t}"]`).html() || '';
          return { first: $('<div>').html(template).find('p').first().text(), shown: $('.red-ui-help').text() };
        }, type);
        assert.ok(help.first.trim(), `${type} has no help text`);
        assert.ok(squash(help.shown).includes(squash(help.first)), `the help sidebar does not show ${type}'s help`);
        await removeNode(id);
      });
    }
  });

  describe('config node', () => {
    let nodeId;
    let configId;

    it('is created from a node dialog; Test connection shows why a wrong key fails and whose a good key is', async () => {
      nodeId = await dragIn('comet-get-projects');
      await openDialog(nodeId);
      await page.click('#node-input-btn-server-add');
      await page.waitForSelector('#node-config-input-baseUrl', { state: 'visible' });
      await page.fill('#node-config-input-name', 'sample Comet');
      await page.fill('#node-config-input-baseUrl', world.sample.url);
      await page.fill('#node-config-input-workspace', 'ml-team');

      const test = async (key) => {
        await page.fill('#node-config-input-apiKey', key);
        await page.evaluate(() => $('#comet-config-test-result').text(''));
        await page.click('#comet-config-test');
        await page.waitForFunction(() => {
          const text = $('#comet-config-test-result').text();
          return text && !/Asking/.test(text);
        });
        return page.textContent('#comet-config-test-result');
      };
      const refused = await test(WRONG_KEY);
      assert.match(refused, /rejected the API key/i);
      assert.ok(!refused.includes(WRONG_KEY), 'the result shows the key');
      const accepted = await test(SAMPLE_KEY);
      assert.match(accepted, /\bada\b/);
      assert.match(accepted, /ml-team/);
      await page.fill('#node-config-input-rate', '240');
      // Shown as a user running several Node-REDs would fill it; cleared before saving, as this runtime has no such Redis.
      await page.fill('#node-config-input-redisUrl', 'redis://redis:6379');
      await screenshot(page, 'dialog-comet-config', await dialogBox());
      await page.fill('#node-config-input-redisUrl', '');

      await page.click('#node-config-dialog-ok');
      await page.waitForSelector('#node-config-input-baseUrl', { state: 'detached' });
      configId = await page.inputValue('#node-input-server');
      assert.ok(configId && configId !== '_ADD_', 'the new config node is not selected');
      assert.equal(await page.evaluate((id) => RED.nodes.node(id).rate, configId), '240', 'the Rate field is saved as the rate property');
      await page.selectOption('#node-input-operation', 'account');
      await closeDialog('#node-dialog-ok');
    });

    it('deploys, and the key is then in no exported flow, admin answer, flows file, log or dialog', async () => {
      await page.click('#red-ui-header-button-deploy');
      await page.waitForFunction(() => !RED.nodes.dirty());

      await page.evaluate(() => RED.actions.invoke('core:show-export-dialog'));
      await page.click('#red-ui-clipboard-dialog-export-rng-full');
      const exported = await page.inputValue('#red-ui-clipboard-dialog-export-text');
      await page.keyboard.press('Escape');
      const config = JSON.parse(exported).find((n) => n.id === configId);
      assert.equal(config.baseUrl, world.sample.url);
      assert.ok(!exported.includes(SAMPLE_KEY), 'the exported flow has the key');

      const answers = await page.evaluate(async (id) => {
        const get = async (url) => (await fetch(url, { headers: { accept: 'application/json' } })).text();
        return { flows: await get('flows'), credentials: await get(`credentials/comet-config/${id}`) };
      }, configId);
      assert.ok(!answers.flows.includes(SAMPLE_KEY), 'GET /flows has the key');
      assert.deepEqual(JSON.parse(answers.credentials), { has_apiKey: true, has_redisPassword: false });

      await page.evaluate((id) => RED.editor.editConfig('', 'comet-config', id), configId);
      await page.waitForSelector('#node-config-input-apiKey', { state: 'visible' });
      assert.notEqual(await page.inputValue('#node-config-input-apiKey'), SAMPLE_KEY);
      await page.click('#node-config-dialog-cancel');
      await page.waitForSelector('#node-config-input-apiKey', { state: 'detached' });

      for (const file of ['flows.json', 'flows_cred.json']) {
        assert.ok(!fs.readFileSync(path.join(world.userDir, file), 'utf8').includes(SAMPLE_KEY), `${file} has the key in clear`);
      }
      for (const key of [SAMPLE_KEY, WRONG_KEY]) assert.ok(!world.nodeRed.log().includes(key), `Node-RED's log has ${key}`);
    });
  });

  describe('example flows', () => {
    let flows;

    before(async () => {
      // Only the contract's properties: the optional tuning ones stay absent, as in a hand-written flow.
      const config = { id: 'examples-config', type: CONFIG, name: 'sample Comet', baseUrl: world.sample.url, workspace: 'ml-team', credentials: { apiKey: SAMPLE_KEY } };
      flows = toLocalMail(combineExamples(config), world.mailServer.smtpPort);
      const status = await page.evaluate(async (body) => {
        const res = await fetch('flows', { method: 'POST', headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body });
        return res.status;
      }, JSON.stringify(flows));
      assert.equal(status, 204);
      await openEditor(page, world.nodeRed.url);
    });

    it('the package has examples, and Import > Examples lists them', async () => {
      const tabs = flows.filter((n) => n.type === 'tab');
      assert.ok(tabs.length > 0, 'examples/ has no flow');
      const dir = path.join(world.installed, 'examples');
      const names = (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
      await page.evaluate(() => RED.actions.invoke('core:show-examples-import-dialog'));
      const labels = '.red-ui-clipboard-dialog-tab-library .red-ui-treeList-label';
      const entry = page.locator(labels, { hasText: '@flowml/node-red-comet' }).first();
      await entry.waitFor();
      await entry.click();
      // The module's examples are fetched when it opens; the assertion below names what is missing.
      const listedAll = ([selector, wanted]) => wanted.every((name) => $(selector).toArray().some((el) => el.textContent.trim() === name));
      await page.waitForFunction(listedAll, [labels, names], { timeout: 10000 }).catch(() => {});
      const listed = (await page.locator(labels).allTextContents()).map(squash);
      await page.keyboard.press('Escape');
      assert.deepEqual(names.filter((name) => !listed.includes(name)), [], 'examples missing from Import > Examples');
    });

    it('every node of every example is valid in the editor (no warning triangle, no deploy warning)', async () => {
      const invalid = await page.evaluate(() => {
        const nodes = RED.nodes.filterNodes({});
        RED.nodes.eachConfig((n) => {
          nodes.push(n);
        });
        return nodes.filter((n) => n.valid === false).map((n) => `${n.type} "${n.name || n.id}": ${(n.validationErrors || []).join(', ')}`);
      });
      assert.deepEqual(invalid, []);
    });

    it('lays every example out so that no two nodes overlap and every wire runs left to right', async () => {
      const problems = [];
      for (const tab of flows.filter((n) => n.type === 'tab')) {
        await page.evaluate((id) => RED.workspaces.show(id), tab.id);
        // Node-RED sizes each node (w, h) as it draws the tab.
        await page.waitForFunction((z) => RED.nodes.filterNodes({ z }).every((n) => n.w && n.h), tab.id);
        for (const problem of await page.evaluate(layoutProblems, [tab.id, WIRE_GAP])) problems.push(`${tab.label}: ${problem}`);
      }
      assert.deepEqual(problems, []);
    });

    it('the dashboard example at /dashboard: the leaderboard in a table, and the loss chart with a line of points per experiment', async () => {
      const chart = flows.find((n) => n.type === 'ui-chart');
      const lines = chart.colors.slice(0, 5);
      const dashboard = await page.context().newPage();
      const problems = watchProblems(dashboard);
      try {
        await dashboard.goto(`${world.nodeRed.url}dashboard`);
        await dashboard.waitForFunction(() => [...document.querySelectorAll('table tbody tr')].length === 5, null, { timeout: 30000 });
        const table = await dashboard.$$eval('table tbody tr', (rows) => rows.map((row) => row.textContent));
        assert.ok(table[0].includes('xgb-depth8'), `first row: ${table[0]}`);
        // ECharts draws on a canvas: each experiment's line is its colour's pixels there (its legend mark alone has a few dozen).
        await dashboard.waitForFunction(colourCounts, ['.nrdb-ui-chart', lines, 500], { timeout: 30000, polling: 250 });
        const [sixth] = await dashboard.evaluate(colourCounts, ['.nrdb-ui-chart', [chart.colors[5]]]);
        assert.ok(sixth < 50, `a sixth line: ${sixth} pixels of ${chart.colors[5]}`);
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        await dashboard.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
        assert.deepEqual(problems, []);
      } finally {
        await dashboard.close();
      }
    });

    it("the dashboard's live chart: a line per running training run, growing as the runs log, from new points only", async () => {
      const live = flows.find((n) => n.type === 'ui-chart' && n.name === 'live loss');
      const getter = flows.find((n) => n.type === 'comet-get-metrics' && n.name === 'new loss points');
      const { training } = world.sample.data;
      ['resnet-baseline', 'resnet-small', 'resnet-dataloader'].forEach((name, i) => training.start('ml-team', 'sandbox', name, { curve: ['healthy', 'plateau', 'stalls'][i] }));
      training.step(10);
      const dashboard = await page.context().newPage();
      const problems = watchProblems(dashboard);
      const chart = `[id="nrdb-ui-widget-${live.id}"]`;
      const lines = live.colors.slice(0, 3);
      try {
        await dashboard.goto(`${world.nodeRed.url}dashboard`);
        await dashboard.waitForFunction(colourCounts, [chart, lines, 100], { timeout: 30000, polling: 250 });
        const drawn = () => dashboard.evaluate((selector) => document.querySelector(`${selector} canvas`).toDataURL(), chart);
        const before = await drawn();
        world.sample.clearRequests();
        training.step(40);
        // The next refreshes (every 5 s) append the new points, and the chart is drawn anew.
        await page.waitForFunction((id) => /^[1-9]\d* new points?$/.test((RED.nodes.node(id).status || {}).text || ''), getter.id, { timeout: 30000 });
        await until(async () => (await drawn()) !== before, { timeout: 10000, message: 'the chart to change' });
        // The live chart's requests ask for every value (the alert example's metric watch, sampled ones, runs beside it).
        const asked = world.sample.requests.filter((r) => r.path === 'experiments/multi-metric-chart' && r.body.fetchFull === true);
        assert.ok(asked.some((r) => r.body.targetedExperiments.length === 3), 'the chart asked for the three runs, every value');
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        await dashboard.locator(chart).screenshot({ path: path.join(SCREENSHOTS, 'dashboard-live.png') });
        assert.deepEqual(problems, []);
      } finally {
        await dashboard.close();
      }
    });

    it('each example with an inject runs when its inject button is pressed, and the result reaches the debug sidebar', async () => {
      const tabs = flows.filter((n) => n.type === 'tab');
      await page.evaluate(() => RED.sidebar.show('debug'));
      let pressed = 0;
      for (const tab of tabs) {
        const onTab = flows.filter((n) => n.z === tab.id);
        const injects = onTab.filter((n) => n.type === 'inject');
        const debugs = onTab.filter((n) => n.type === 'debug').map((n) => n.id);
        const picture = `flow-${tab.label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
        await page.evaluate((id) => {
          RED.actions.invoke('core:clear-debug-messages');
          RED.workspaces.show(id);
        }, tab.id);
        if (injects.length === 0) {
          // A flow started by a trigger has nothing to press: its picture shows how it is laid out.
          await screenshot(page, picture);
          continue;
        }
        assert.ok(debugs.length > 0, `${tab.label} has an inject but no debug node to show its result`);
        const seen = () =>
          page.evaluate((ids) => {
            const messages = $('.red-ui-debug-msg').toArray();
            const from = (el) => ids.some((id) => el.classList.contains(`red-ui-debug-msg-node-${id.replace(/\./g, '_')}`));
            return {
              results: messages.filter((el) => from(el) && !el.classList.contains('red-ui-debug-msg-level-20')).length,
              errors: messages.filter((el) => el.classList.contains('red-ui-debug-msg-level-20')).map((el) => el.textContent.slice(0, 300)),
            };
          }, debugs);
        for (const inject of injects) await page.click(`[id="${inject.id}"] .red-ui-flow-node-button`);
        await page.waitForFunction(
          (ids) => $('.red-ui-debug-msg').toArray().some((el) => ids.some((id) => el.classList.contains(`red-ui-debug-msg-node-${id.replace(/\./g, '_')}`))),
          debugs,
          { timeout: 15000 }
        );
        const { results, errors } = await seen();
        assert.ok(results > 0, `${tab.label}: no result in the debug sidebar`);
        assert.deepEqual(errors, [], `${tab.label}: errors in the debug sidebar`);
        // What the user sees once it is done: no node left showing "requesting" (blue).
        await page.waitForFunction((z) => !RED.nodes.filterNodes({ z }).some((n) => n.status && n.status.fill === 'blue'), tab.id, { timeout: 10000 });
        await screenshot(page, picture);
        pressed++;
      }
      assert.ok(pressed > 0, 'no example flow has an inject to press');
    });
  });

  describe('the whole session', () => {
    it('had no page error, console error or failed request', () => {
      assert.deepEqual(world.problems, []);
    });
  });
});
