'use strict';
// comet-report's outputs: Markdown, HTML (charts inline), CSV and rows, the
// same report in each, msg.report, msg.filename and msg.charts; and the
// names people log (experiment names, parameter values, metric names)
// escaped in every one of them.
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { loadNode, succeed } = require('./harness');

const e = ids.experiments;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NODE = {
  type: 'comet-report',
  projectName: 'churn',
  projectNameType: 'str',
  metrics: 'accuracy:max, loss:min',
  metricsType: 'str',
  params: 'max_depth',
  paramsType: 'str',
  limit: '3',
  limitType: 'num',
};

/** Renames an experiment, gives it odd parameter values and an odd metric for one test; undone after it. */
function withHostileNames(ctx) {
  const hostile = {
    name: '<img src=x onerror="window.pwned=1">|pipe',
    depth: '=HYPERLINK("http://evil.example","click")',
    rate: '-2+3',
    metric: '<b>f1</b>|"x"',
  };
  let undo;
  beforeEach(function () {
    const exp = ctx.server.data.experiments[e['xgb-depth8']];
    const before = { name: exp.experimentName, params: { ...exp.params } };
    exp.experimentName = hostile.name;
    exp.params.max_depth = hostile.depth;
    exp.params.learning_rate = hostile.rate;
    exp.metrics[hostile.metric] = exp.metrics.loss;
    undo = () => {
      exp.experimentName = before.name;
      exp.params = before.params;
      delete exp.metrics[hostile.metric];
    };
  });
  afterEach(() => undo());
  return hostile;
}

describe('comet-report: formats', function () {
  const ctx = useSampleServer();
  useNodeRed();

  it('markdown (the default): a heading and one table (name, key, the columns in the order given), numbers as Comet gave them', async function () {
    const out = await succeed(await loadNode(ctx.server, NODE), {});
    const lines = out.payload.split('\n');
    assert.match(lines[0], /^# ml-team\/churn: 3 of 6 experiments by accuracy:max, highest first$/);
    assert.equal(lines[2], '| experiment | key | accuracy:max | loss:min | max_depth |');
    assert.equal(lines[3], '|---|---|---:|---:|---|');
    const [first] = out.report.rows;
    assert.equal(lines[4], `| xgb-depth8 | ${e['xgb-depth8']} | ${first['accuracy:max']} | ${first['loss:min']} | 8 |`);
    assert.equal(lines.filter((l) => l.startsWith('| ')).length, 4);
    assert.match(out.filename, /^churn-report-\d{4}-\d{2}-\d{2}\.md$/);
    assert.equal(out.filename.slice(13, 23), out.report.generatedAt.slice(0, 10));
    assert.equal(out.charts, undefined);
  });

  it('msg.report whatever the format: project, columns, rows, experimentsConsidered, generatedAt', async function () {
    const out = await succeed(await loadNode(ctx.server, NODE), { format: 'csv' });
    assert.deepEqual(out.report.project, { projectId: ids.projects.churn, projectName: 'churn', workspace: 'ml-team' });
    assert.deepEqual(out.report.columns, ['experimentName', 'experimentKey', 'accuracy:max', 'loss:min', 'max_depth']);
    assert.deepEqual(Object.keys(out.report.rows[0]).sort(), ['accuracy:max', 'experimentKey', 'experimentName', 'loss:min', 'max_depth']);
    assert.equal(out.report.experimentsConsidered, 6);
    assert.match(out.report.generatedAt.slice(0, 10), DAY);
    assert.ok(Date.now() - Date.parse(out.report.generatedAt) < 60_000);
  });

  it('csv: a header row and a row per experiment, CRLF after each (RFC 4180)', async function () {
    const out = await succeed(await loadNode(ctx.server, NODE), { format: 'csv' });
    const records = out.payload.split('\r\n');
    assert.equal(records.pop(), '');
    assert.equal(records[0], 'experiment,key,accuracy:max,loss:min,max_depth');
    const [first] = out.report.rows;
    assert.equal(records[1], `xgb-depth8,${e['xgb-depth8']},${first['accuracy:max']},${first['loss:min']},8`);
    assert.equal(records.length, 4);
    assert.match(out.filename, /\.csv$/);
  });

  it('rows: the array of msg.report.rows', async function () {
    const out = await succeed(await loadNode(ctx.server, NODE), { format: 'rows' });
    assert.deepEqual(out.payload, out.report.rows);
    assert.match(out.filename, /\.json$/);
  });

  it('html with charts: a standalone document with the table and one SVG line chart per metric, a line per row, axes and legend; msg.charts has the same SVGs', async function () {
    const out = await succeed(await loadNode(ctx.server, { ...NODE, charts: 'true', chartsType: 'bool' }), { format: 'html' });
    const html = out.payload;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    assert.equal((html.match(/<tr>/g) || []).length, 4);
    assert.deepEqual(Object.keys(out.charts), ['accuracy', 'loss']);
    for (const svg of Object.values(out.charts)) {
      assert.ok(html.includes(svg));
      assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.equal((svg.match(/<path d="M/g) || []).length, 3, 'a line per reported experiment');
      assert.match(svg, />step</);
      for (const row of out.report.rows) assert.ok(svg.includes(`>${row.experimentName}</text>`), `legend has ${row.experimentName}`);
      const colours = [...svg.matchAll(/<path d="M[^"]*" fill="none" stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
      assert.equal(new Set(colours).size, 3, 'each line its own colour');
    }
    assert.match(out.filename, /\.html$/);
  });

  it('charts over several chart requests: a line for each reported row, the lines of the others dropped on the way', async function () {
    const bench = ctx.server.data.setChartSize({ experiments: 120, metrics: 1, points: 30 });
    const node = { type: 'comet-report', projectId: bench.projectId, projectIdType: 'str', metrics: 'metric_00:min', metricsType: 'str', limit: '5', limitType: 'num', charts: 'true', chartsType: 'bool' };
    const out = await succeed(await loadNode(ctx.server, node), { format: 'rows', order: 'asc' });
    assert.equal(ctx.server.requests.filter((r) => r.path === 'experiments/multi-metric-chart').length, 3);
    const svg = out.charts.metric_00;
    assert.equal((svg.match(/<path d="M/g) || []).length, 5);
    const legend = [...svg.matchAll(/<text x="28" dy="0.32em">([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(legend, out.payload.map((r) => r.experimentName));
  });

  it('charts with markdown: msg.charts is set for every format', async function () {
    const out = await succeed(await loadNode(ctx.server, { ...NODE, charts: 'true', chartsType: 'bool' }), {});
    assert.deepEqual(Object.keys(out.charts), ['accuracy', 'loss']);
    assert.ok(!out.payload.includes('<svg'));
  });

  describe('names people logged are escaped', function () {
    const hostile = withHostileNames(ctx);
    const node = { ...NODE, metrics: 'accuracy:max, loss:min', params: 'max_depth, learning_rate', limit: '1', charts: 'true', chartsType: 'bool' };

    it('html and svg: as text, never markup', async function () {
      const out = await succeed(await loadNode(ctx.server, { ...node, metrics: `accuracy:max, ${hostile.metric}:min` }), { format: 'html' });
      assert.ok(!out.payload.includes('<img'), 'the experiment name became an element');
      assert.ok(!out.payload.includes('<b>'), 'the metric name became an element');
      assert.ok(out.payload.includes('&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;|pipe'));
      assert.ok(out.payload.includes('&lt;b&gt;f1&lt;/b&gt;|&quot;x&quot;:min'));
      for (const svg of Object.values(out.charts)) assert.ok(!svg.includes('<img') && !svg.includes('<b>'));
      assert.deepEqual(Object.keys(out.charts), ['accuracy', hostile.metric]);
    });

    it('markdown: pipes and markup characters backslash-escaped, so the table keeps its columns', async function () {
      const out = await succeed(await loadNode(ctx.server, node), {});
      const row = out.payload.split('\n')[4];
      assert.ok(row.startsWith('| \\<img src=x onerror="window.pwned=1"\\>\\|pipe | '), row);
      assert.equal(row.replace(/\\\|/g, '').split('|').length - 2, 6, 'six cells');
    });

    it('csv: quoted as RFC 4180 says; a cell a spreadsheet would run as a formula starts with a quote; numbers stay numbers', async function () {
      const out = await succeed(await loadNode(ctx.server, node), { format: 'csv' });
      const [, record] = out.payload.split('\r\n');
      const { 'accuracy:max': accuracy, 'loss:min': loss } = out.report.rows[0];
      assert.equal(record, `"<img src=x onerror=""window.pwned=1"">|pipe",${e['xgb-depth8']},${accuracy},${loss},"'=HYPERLINK(""http://evil.example"",""click"")",'-2+3`);
    });

    it('rows: the values as they are (escaping is for the text formats)', async function () {
      const out = await succeed(await loadNode(ctx.server, node), { format: 'rows' });
      assert.equal(out.payload[0].experimentName, hostile.name);
      assert.equal(out.payload[0].max_depth, hostile.depth);
    });
  });
});
