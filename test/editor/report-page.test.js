'use strict';
// comet-report's HTML document as a browser shows it (Chromium): the table
// and an SVG chart per metric drawn, a line per experiment, and no script
// running, not from a name built to run one nor from a script added to the
// page (its Content-Security-Policy forbids them). Screenshot:
// report-html.png (docs/images/ with UPDATE_SCREENSHOTS=1).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ids } = require('../../sample-server/data');
const { useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { churnTop5 } = require('../helpers/report');
const { openBrowser, SCREENSHOTS } = require('../helpers/editor');
const { loadNode, succeed } = require('../nodes/harness');

const HOSTILE = '<img src=x onerror="window.ran=1"><script>window.ran=2</script>';
const NODE = churnTop5('html');

describe('comet-report: the HTML report in Chromium', function () {
  this.timeout(60000);
  const ctx = useSampleServer();
  useNodeRed();
  let browser;
  let page;
  let problems;
  let dir;

  before(async () => {
    ({ browser, page, problems } = await openBrowser());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-report-page-'));
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The report's HTML written to a file and opened from it, as a user opens what the file node wrote. */
  async function open(html, name) {
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, html);
    await page.goto(`file://${file}`);
  }

  it('draws the table and an SVG line chart per metric, a line and a legend entry per experiment', async function () {
    const out = await succeed(await loadNode(ctx.server, NODE), {});
    await open(out.payload, 'report');
    const seen = await page.evaluate(() => ({
      rows: document.querySelectorAll('tbody tr').length,
      charts: [...document.querySelectorAll('figure svg')].map((svg) => ({
        title: svg.querySelector('title').textContent,
        width: svg.getBoundingClientRect().width,
        lines: [...svg.querySelectorAll('path')].map((p) => p.getBBox()).map((b) => [b.width, b.height]),
        legend: [...svg.querySelectorAll('g.legend-entry text')].map((t) => t.textContent),
        ticks: svg.querySelectorAll('text[text-anchor="end"]').length,
      })),
    }));
    assert.equal(seen.rows, 5);
    assert.deepEqual(seen.charts.map((c) => c.title), ['val_loss', 'accuracy', 'loss']);
    const names = out.report.rows.map((r) => r.experimentName);
    for (const chart of seen.charts) {
      assert.ok(chart.width >= 600, `${chart.title} is ${chart.width} px wide`);
      assert.equal(chart.lines.length, 5, `${chart.title}: a line per experiment`);
      assert.ok(chart.lines.every(([w, h]) => w > 400 && h > 20), `${chart.title}: lines across the plot: ${JSON.stringify(chart.lines)}`);
      assert.deepEqual(chart.legend, names, `${chart.title}: legend`);
      assert.ok(chart.ticks >= 4, `${chart.title}: y axis ticks`);
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-html.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });

  it('runs no script: a name built to run one shows as text, and a script added to the page is refused', async function () {
    const exp = ctx.server.data.experiments[ids.experiments['xgb-depth8']];
    const name = exp.experimentName;
    exp.experimentName = HOSTILE;
    let out;
    try {
      out = await succeed(await loadNode(ctx.server, NODE), {});
    } finally {
      exp.experimentName = name;
    }
    const refused = [];
    page.on('console', (msg) => refused.push(msg.text()));
    await open(out.payload, 'hostile');
    const seen = await page.evaluate((hostile) => {
      const script = document.createElement('script');
      script.textContent = 'window.ran = 3';
      document.head.append(script);
      return {
        ran: window.ran,
        elements: document.querySelectorAll('body img, body script').length,
        cell: [...document.querySelectorAll('tbody td')].some((td) => td.textContent === hostile),
        legend: [...document.querySelectorAll('svg text')].some((t) => hostile.startsWith(t.textContent.replace(/…$/, ''))),
      };
    }, HOSTILE);
    assert.deepEqual(seen, { ran: undefined, elements: 0, cell: true, legend: true });
    assert.ok(refused.some((text) => /Content Security Policy/.test(text)), 'the browser did not say it refused the added script');
  });
});
