'use strict';
// Each node's help and words match its catalogue entry and the contract:
// help names every operation and parameter, the palette label is the
// contract's, every operation has a label, every parameter and counted
// noun has its words in the shared catalog.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { CATALOGUE } = require('../nodes/catalogue/catalogue');
const { sharedDocument, contractNodes } = require('./helpers/contract');

const NODES = path.join(__dirname, '..', 'nodes');
const LISTED = require('../package.json')['node-red'].nodes;
const contract = contractNodes(sharedDocument('spec/nodes.md'));
const LOCALE = path.join(NODES, 'locales', 'en-US');
const shared = JSON.parse(fs.readFileSync(path.join(LOCALE, 'comet-config.json'), 'utf8'));

/** The node's help: the text of the data-help-name script of locales/en-US/<type>.html, where Node-RED looks for it. */
function helpOf(type) {
  const html = fs.readFileSync(path.join(LOCALE, `${type}.html`), 'utf8');
  const match = new RegExp(`^<script type="text/html" data-help-name="${type}">([\\s\\S]*?)</script>\\n$`).exec(html);
  assert.ok(match, `locales/en-US/${type}.html is not one data-help-name script of ${type}`);
  return match[1];
}

function localeOf(type) {
  return JSON.parse(fs.readFileSync(path.join(LOCALE, `${type}.json`), 'utf8'))[type];
}

/** Node types of the catalogue, plus comet-request and comet-report: each must be in package.json, with its help and words. */
const TYPES = [...Object.keys(CATALOGUE), 'comet-request', 'comet-report'];

describe('help of every node, where Node-RED looks for it', function () {
  for (const type of Object.keys(LISTED)) {
    it(`${type}: in locales/en-US/${type}.html, and no longer in ${type}.html`, function () {
      assert.match(helpOf(type), /^\s*<p>[^<]{20,}/);
      assert.doesNotMatch(fs.readFileSync(path.join(NODES, `${type}.html`), 'utf8'), /data-help-name/);
    });
  }
});

describe('help and locale of each node', function () {
  for (const type of TYPES) {
    describe(type, function () {
      it('is a node of package.json', function () {
        assert.ok(LISTED[type], `${type} is not in package.json's node-red.nodes`);
      });

      it("help in Node-RED's style: a first paragraph (the tooltip), then Inputs, Outputs and Details", function () {
        const help = helpOf(type);
        assert.match(help, /^\s*<p>[^<]{20,}/);
        const headings = [...help.matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
        assert.deepEqual(headings, ['Inputs', 'Outputs', 'Details']);
        assert.match(help, /<dl class="message-properties">[\s\S]*<dt>payload <span class="property-type">/);
      });

      it('has the contract palette label', function () {
        assert.equal(localeOf(type).paletteLabel, contract[type].label);
      });

      if (!CATALOGUE[type]) return;
      const { operations } = CATALOGUE[type];

      it('help names every operation', function () {
        const help = helpOf(type);
        for (const operation of Object.keys(operations)) assert.match(help, new RegExp(`<code>${operation}</code>`), operation);
      });

      it('help names every parameter: as an input of its own, or in code within one', function () {
        const help = helpOf(type);
        for (const param of new Set(Object.values(operations).flatMap((e) => e.params.map((p) => p.name)))) {
          assert.match(help, new RegExp(`<dt( class="optional")?>${param} <span class="property-type">|<code>${param}</code>`), param);
        }
      });

      it('locale: a label for every operation, and no other', function () {
        const labels = localeOf(type).operations;
        assert.deepEqual(Object.keys(labels).sort(), Object.keys(operations).sort());
        for (const [operation, label] of Object.entries(labels)) assert.ok(typeof label === 'string' && label.trim(), operation);
      });
    });
  }
});

/**
 * Runs a node's HTML scripts as the editor would, with a stub RED that keeps
 * what registerType gets, after resources/comet-editor.js; returns the
 * definition and the CometEditor it ran with.
 */
function editorDefinition(type) {
  const registered = {};
  const browser = {
    CometCatalogue: CATALOGUE,
    document: { querySelector: () => null },
    RED: {
      nodes: { registerType: (name, definition) => (registered[name] = definition) },
      validators: { regex: () => () => true, number: () => () => true },
      _: (key) => key,
    },
  };
  browser.window = browser;
  vm.createContext(browser);
  vm.runInContext(fs.readFileSync(path.join(__dirname, '..', 'resources', 'comet-editor.js'), 'utf8'), browser);
  const html = fs.readFileSync(path.join(NODES, `${type}.html`), 'utf8');
  for (const [, code] of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) vm.runInContext(code, browser);
  return { definition: registered[type], CometEditor: browser.CometEditor };
}

describe('editor definitions written out in the HTML', function () {
  for (const type of Object.keys(CATALOGUE)) {
    it(`${type}: its literal defaults hold every field the catalogue gives, with the same values; the package's category and colour`, function () {
      const { definition, CometEditor } = editorDefinition(type);
      assert.ok(definition, `${type}.html registers no ${type}`);
      const wanted = CometEditor.defaults(type);
      for (const [name, value] of Object.entries(wanted)) assert.deepEqual(definition.defaults[name], value, name);
      assert.equal(definition.category, CometEditor.category);
      assert.equal(definition.color, CometEditor.color);
    });
  }
});

describe('comet-config: what its fields accept', function () {
  it('Redis: redis:// or rediss:// URLs without a password, and ${NAME} as the README tells FlowFuse users to write it (Node-RED reads it from the environment)', function () {
    const { validate } = editorDefinition('comet-config').definition.defaults.redisUrl;
    for (const good of ['', 'redis://redis:6379', 'rediss://host:6380/2', '${REDIS_URL}']) assert.equal(validate(good), true, good);
    // A password goes in its credential field: the URL is kept in flows.json and in every export.
    for (const bad of ['http://redis:6379', 'redis:6379', '${REDIS URL}', 'redis://:secret@redis:6379', 'rediss://user:secret@host:6380/2']) assert.equal(validate(bad), false, bad);
  });
});

describe('words of every dialog', function () {
  const { cometEditor, missingMessages } = require('../scripts/build-editor');
  const editor = cometEditor(CATALOGUE);
  for (const type of Object.keys(LISTED)) {
    it(`${type}: each message its dialog (row tags expanded) and labels use is in nodes/locales/en-US/`, function () {
      assert.deepEqual(missingMessages(editor, type, fs.readFileSync(path.join(NODES, `${type}.html`), 'utf8')), []);
    });
  }
});

describe('shared words the catalogue relies on', function () {
  const endpoints = Object.values(CATALOGUE).flatMap(({ operations }) => Object.values(operations));

  it('every parameter has a label (dialogs and error messages use it)', function () {
    for (const param of endpoints.flatMap((e) => e.params)) assert.ok(shared.params[param.name], param.name);
  });

  it('every counted thing has a singular and a plural noun for the status', function () {
    for (const endpoint of endpoints.filter((e) => e.count)) {
      const noun = endpoint.noun || endpoint.count;
      assert.ok(shared.status.noun[`${noun}_one`] && shared.status.noun[`${noun}_other`], `${endpoint.path}: status.noun.${noun}_one/_other`);
    }
  });

  it('a countLabel names a parameter of its endpoint', function () {
    for (const endpoint of endpoints.filter((e) => e.countLabel)) {
      assert.ok(endpoint.params.some((p) => p.name === endpoint.countLabel), endpoint.path);
    }
  });
});
