'use strict';
// Which part of a field's text a suggestion fills (src/editor/text-parts.ts,
// run from the built resources/comet-editor.js as the browser runs it): a
// list's item, a line's first word (the metric watch's rules), a filter's
// name at the caret; the rest of the text kept as it was.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const SCRIPT = path.join(__dirname, '..', 'resources', 'comet-editor.js');

function textParts() {
  const browser = { CometCatalogue: {} };
  browser.window = browser;
  vm.createContext(browser);
  vm.runInContext(fs.readFileSync(SCRIPT, 'utf8'), browser, { filename: SCRIPT });
  return browser.CometTextParts;
}

describe('editor: the part of a field a suggestion fills', function () {
  const { partAt, fill } = textParts();
  /** `text` with the caret at `|`: what was typed there, and the text once `value` is chosen. */
  function choose(marked, mode, value, json = false) {
    const caret = marked.indexOf('|');
    const text = marked.replace('|', '');
    const part = partAt(text, caret, mode);
    return part && { typed: part.typed, source: part.source, text: fill(text, part, value, json) };
  }

  it('no mode: the whole text', function () {
    assert.deepEqual(choose('xgb|', undefined, 'abc'), { typed: 'xgb', source: undefined, text: 'abc' });
  });

  it('comma: the item at the caret, in text or in a JSON list (quoted there)', function () {
    assert.deepEqual(choose('loss:min, acc|', 'comma', 'accuracy'), { typed: 'acc', source: undefined, text: 'loss:min, accuracy' });
    assert.deepEqual(choose('lo|ss, accuracy', 'comma', 'val_loss').text, 'val_loss, accuracy');
    assert.deepEqual(choose('["max_depth", "lea|', 'comma', 'learning_rate', true), { typed: 'lea', source: undefined, text: '["max_depth", "learning_rate"' });
    assert.deepEqual(choose('["lea|", "max_depth"]', 'comma', 'learning_rate', true).text, '["learning_rate", "max_depth"]');
  });

  it("line: a line's first word while the caret is in it, nothing past it", function () {
    assert.deepEqual(choose('loss > 2\n  val_l|', 'line', 'val_loss'), { typed: 'val_l', source: undefined, text: 'loss > 2\n  val_loss' });
    assert.deepEqual(choose('acc| > 0.9\nloss > 2', 'line', 'accuracy').text, 'accuracy > 0.9\nloss > 2');
    assert.equal(choose('loss > 2|', 'line', 'x'), undefined);
  });

  it('expression: the name at the caret, with the source typed before it; nothing inside quotes or after an operator', function () {
    assert.deepEqual(choose('accuracy > 0.8 and mod|', 'expression', 'model_type'), { typed: 'mod', source: undefined, text: 'accuracy > 0.8 and model_type' });
    assert.deepEqual(choose('acc| > 0.8 and x == 1', 'expression', 'accuracy').text, 'accuracy > 0.8 and x == 1');
    assert.deepEqual(choose('metric.ac|', 'expression', 'accuracy'), { typed: 'ac', source: 'metric', text: 'accuracy' });
    assert.deepEqual(choose('a > 1 and param.|', 'expression', 'param.lr'), { typed: '', source: 'param', text: 'a > 1 and param.lr' });
    assert.equal(choose('model_type == "xg|', 'expression', 'x'), undefined);
    assert.equal(choose('accuracy > |', 'expression', 'x'), undefined);
  });
});
