'use strict';
// What `node-red-dev validate` (the Node-RED flow library's scorecard) checks,
// offline, plus what `npm pack` ships. The library reads each node's HTML with
// a JavaScript parser, not a browser: a registerType call whose type or
// definition is not written out literally is invisible to it.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.join(__dirname, '..');
const PACKAGE = require('../package.json');
const NODE_RED_4 = path.dirname(require.resolve('node-red/package.json'));
// Node-RED's own semver, so the ranges are read as Node-RED and npm read them.
const semver = require(require.resolve('semver', { paths: [NODE_RED_4] }));
/** Where scripts/test-all.sh installs Node-RED 5 for its Node 24 leg (scripts/lib/runtimes.js). */
const NODE_RED_5 = path.join(ROOT, '.tmp', 'legs', 'node24', 'node_modules', 'node-red');
/** Node-RED 5.0's own package.json facts, for a run without .tmp/legs/node24 (a lone `npx mocha` of this file). */
const NODE_RED_5_RELEASE = { version: '5.0.0', engines: { node: '>=22.9' } };
const SCOPED = /^@[a-z\d][\w.-]+\/[a-z\d][\w.-]*$/;
/** Node-RED's validator reads the definitions only from scripts typed like this. */
const JAVASCRIPT = /\btype=['"]text\/javascript['"]/i;
const LITERAL_PROPERTIES = ['icon', 'color', 'category', 'inputs', 'outputs'];
const OBJECT_PROPERTIES = ['defaults', 'credentials'];

function nodeRed5() {
  const file = path.join(NODE_RED_5, 'package.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : NODE_RED_5_RELEASE;
}

function isLiteral(expr) {
  return ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr) || ts.isNumericLiteral(expr);
}

/** The registerType calls of one HTML file: [{ type, definition, problems }]. */
/** The code of each <script type="text/javascript"> of an HTML text. */
function javascriptBlocks(html) {
  const blocks = [];
  for (const tag of html.matchAll(/<script\b([^>]*)>/gi)) {
    const start = tag.index + tag[0].length;
    const end = html.indexOf('</script>', start);
    if (JAVASCRIPT.test(tag[1]) && end > 0) blocks.push(html.slice(start, end));
  }
  return blocks;
}

function registrations(htmlFile) {
  const found = [];
  for (const code of javascriptBlocks(fs.readFileSync(htmlFile, 'utf8'))) {
    const source = ts.createSourceFile(htmlFile, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const visit = (node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'registerType') {
        found.push(readRegistration(node));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** The first line of an expression, enough to find it in the file. */
const shown = (expr) => expr && expr.getText().split('\n')[0];

function readRegistration(call) {
  const [typeArg, defArg] = call.arguments;
  const problems = [];
  const result = { type: typeArg && isLiteral(typeArg) ? typeArg.text : undefined, definition: {}, problems };
  if (!result.type) problems.push(`type is not a literal: ${shown(typeArg)}`);
  if (!defArg || !ts.isObjectLiteralExpression(defArg)) {
    problems.push(`definition is not an inline object: ${shown(defArg)}`);
    return result;
  }
  for (const prop of defArg.properties) {
    const name = prop.name && prop.name.getText().replace(/^['"]|['"]$/g, '');
    if (!ts.isPropertyAssignment(prop)) continue;
    if (LITERAL_PROPERTIES.includes(name)) {
      if (isLiteral(prop.initializer)) result.definition[name] = prop.initializer.text;
      else problems.push(`${name} is not a literal: ${shown(prop.initializer)}`);
    } else if (OBJECT_PROPERTIES.includes(name)) {
      if (ts.isObjectLiteralExpression(prop.initializer)) result.definition[name] = prop.initializer.properties.map((p) => p.name.getText());
      else problems.push(`${name} is not an inline object: ${shown(prop.initializer)}`);
    }
  }
  return result;
}

function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('scorecard: what the Node-RED flow library checks', function () {
  const nodeSets = Object.entries(PACKAGE['node-red'].nodes);
  const defined = nodeSets.map(([name, file]) => ({ name, html: path.join(ROOT, file.replace(/\.js$/, '.html')), found: null }));
  before(() => {
    for (const set of defined) set.found = fs.existsSync(set.html) ? registrations(set.html) : [];
  });

  describe('package.json', () => {
    it('has a license, and the LICENSE file has its text', () => {
      assert.equal(PACKAGE.license, 'Apache-2.0');
      assert.match(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
    });

    it('names a repository and where to report bugs', () => {
      assert.match(PACKAGE.repository.url, /^git\+https:\/\/.+\.git$/);
      assert.match(PACKAGE.bugs.url, /^https:\/\//);
    });

    it('has a scoped name and the node-red keyword', () => {
      assert.match(PACKAGE.name, SCOPED);
      assert.ok(PACKAGE.keywords.includes('node-red'));
    });

    it('declares a node-red.version that Node-RED 4.1 and 5 both satisfy', () => {
      const range = PACKAGE['node-red'].version;
      const releases = ['4.1.0', require('node-red/package.json').version, nodeRed5().version];
      for (const version of releases) assert.ok(semver.satisfies(version, range), `Node-RED ${version} is outside ${range}`);
    });

    // Its lowest Node must run what the package loads (undici 8 needs 22.19, above Node-RED 5's own 22.9).
    it('declares engines.node whose lowest Node runs every runtime dependency and Node-RED 4.1 and 5, and that this Node satisfies', () => {
      const minimum = semver.minVersion(PACKAGE.engines.node).version;
      const engines = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).engines?.node;
      const needs = Object.keys(PACKAGE.dependencies).map((name) => [name, engines(path.join(ROOT, 'node_modules', name))]);
      needs.push([`Node-RED ${require('node-red/package.json').version}`, require('node-red/package.json').engines.node], [`Node-RED ${nodeRed5().version}`, nodeRed5().engines.node]);
      for (const [name, range] of needs.filter(([, range]) => range)) {
        assert.ok(semver.satisfies(minimum, range), `Node ${minimum} (the lowest of ${PACKAGE.engines.node}) cannot run ${name} (${range})`);
      }
      assert.ok(semver.satisfies(process.version, PACKAGE.engines.node), `${process.version} is outside ${PACKAGE.engines.node}`);
    });

    it('has at most 6 runtime dependencies', () => {
      assert.ok(Object.keys(PACKAGE.dependencies || {}).length <= 6, Object.keys(PACKAGE.dependencies).join(', '));
    });
  });

  describe('node definitions', () => {
    it('every node set has an HTML file next to its JS', () => {
      for (const { name, html } of defined) assert.ok(fs.existsSync(html), `${name}: no ${path.relative(ROOT, html)}`);
    });

    it('each HTML registers its type with a literal type and an inline, literal definition', () => {
      const problems = [];
      for (const { name, found } of defined) {
        if (found.length === 0) problems.push(`${name}: no registerType call in a <script type="text/javascript">`);
        for (const reg of found) {
          if (reg.type !== undefined && reg.type !== name) problems.push(`${name}: registers ${reg.type}`);
          problems.push(...reg.problems.map((p) => `${name}: ${p}`));
          for (const key of ['category', 'defaults']) if (!(key in reg.definition) && reg.problems.length === 0) problems.push(`${name}: no ${key}`);
        }
      }
      assert.deepEqual(problems, []);
    });

    // Node-RED looks for a module's icons only in an icons/ folder beside the node's .js.
    it("each node's icon is a file of the icons/ folder beside its JS", () => {
      for (const { name, html, found } of defined) {
        for (const { definition } of found) {
          if (definition.category === 'config' || definition.icon === undefined) continue;
          const icon = path.join(path.dirname(html), 'icons', definition.icon);
          assert.ok(fs.existsSync(icon), `${name}: ${path.relative(ROOT, icon)} is missing`);
        }
      }
    });
  });

  describe('examples', () => {
    const files = filesUnder(path.join(ROOT, 'examples'));

    it('every file of examples/ is a flow (a JSON array of nodes)', () => {
      assert.ok(files.length > 0, 'examples/ has no flow');
      for (const file of files) {
        const flow = JSON.parse(fs.readFileSync(file, 'utf8'));
        assert.ok(Array.isArray(flow), `${path.relative(ROOT, file)} is not an array`);
      }
    });

    it('every node that is not a config node is used in some example', () => {
      const used = new Set(files.flatMap((file) => JSON.parse(fs.readFileSync(file, 'utf8')).map((n) => n.type)));
      const nodes = defined.flatMap(({ found }) => found).filter((reg) => reg.definition.category !== 'config');
      const missing = nodes.map((reg) => reg.type).filter((type) => !used.has(type));
      assert.deepEqual(missing, []);
    });
  });

  describe('npm pack', () => {
    let packed;
    before(function () {
      this.timeout(60000);
      const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      packed = new Set(JSON.parse(out)[0].files.map((f) => f.path));
    });

    // nodes/ holds the built runtime (every layer folder), the HTML, locales (help included) and icons; resources/ the built editor script and catalogue.
    it('ships the built JS and HTML of every node, locales and help, icons, editor resources, examples, README and LICENSE', () => {
      const wanted = [
        ...nodeSets.flatMap(([, file]) => [file, file.replace(/\.js$/, '.html')]),
        ...nodeSets.map(([name, file]) => path.join(path.dirname(file), 'locales', 'en-US', `${name}.html`)),
        ...['nodes', 'resources', 'examples'].flatMap((dir) => filesUnder(path.join(ROOT, dir)).map((f) => path.relative(ROOT, f))),
        'resources/comet-editor.js',
        'resources/catalogue.js',
        'README.md',
        'LICENSE',
        'package.json',
      ];
      const missing = wanted.filter((file) => !packed.has(file));
      assert.deepEqual(missing, []);
      for (const dir of ['nodes/catalogue/', 'nodes/client/', 'nodes/locales/', 'nodes/icons/', 'resources/', 'examples/']) {
        assert.ok([...packed].some((file) => file.startsWith(dir)), `nothing from ${dir}`);
      }
    });

    it('ships no tests, sample server, sources, scripts, docs or benchmarks', () => {
      const unwanted = [...packed].filter((file) => /^(test|sample-server|src|scripts|docs|bench|\.ci|\.tmp)\//.test(file) || /\.ts$/.test(file) || file === 'tsconfig.json');
      assert.deepEqual(unwanted, []);
    });
  });
});
