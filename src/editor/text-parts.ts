// Which part of a field's text a suggestion fills, as the field's
// data-comet-list attribute says: the whole text (no attribute), one item of
// a list (`comma`: comma-separated text or a JSON array), a line's first word
// (`line`: one rule a line), or the name typed at the caret in a filter
// (`expression`, after `metric.` the names of that source). Compiled into
// resources/comet-editor.js with comet-editor.ts; runs once.
(() => {
  if (window.CometTextParts) return;

  /** A source prefix and its dot just before the name being typed: `metric.`. */
  const SOURCE_BEFORE = /\b(metric|param|other|metadata|env)\.$/;

  function wholeText(text: string): TextPart {
    return { start: 0, end: text.length, typed: text };
  }

  /** The list item around the caret, between commas, brackets or line ends; its quotes are the field's, not the typed name's. */
  function listItem(text: string, caret: number): TextPart {
    const before = text.slice(0, caret);
    let start = Math.max(before.lastIndexOf(','), before.lastIndexOf('['), before.lastIndexOf('\n')) + 1;
    const next = text.slice(caret).search(/[,\]\n]/);
    let end = next < 0 ? text.length : caret + next;
    while (start < caret && /\s/.test(text[start])) start++;
    while (end > caret && /\s/.test(text[end - 1])) end--;
    return { start, end, typed: text.slice(start, caret).replace(/^["']/, '') };
  }

  /** A line's first word while the caret is in it; past it (the rule's operator and value), nothing. */
  function firstWord(text: string, caret: number): TextPart | undefined {
    let start = text.lastIndexOf('\n', caret - 1) + 1;
    while (start < caret && /[ \t]/.test(text[start])) start++;
    const typed = text.slice(start, caret);
    if (/\s/.test(typed)) return undefined;
    const rest = text.slice(caret).search(/\s/);
    return { start, end: rest < 0 ? text.length : caret + rest, typed };
  }

  /** The name at the caret of a filter (not inside quotes), with the source prefix before it. */
  function nameInExpression(text: string, caret: number): TextPart | undefined {
    const before = text.slice(0, caret);
    const typed = /[A-Za-z_]\w*$/.exec(before)?.[0] ?? '';
    let start = caret - typed.length;
    const quotes = (before.slice(0, start).match(/["']/g) || []).length;
    if (quotes % 2 === 1) return undefined;
    const source = SOURCE_BEFORE.exec(before.slice(0, start));
    if (!typed && !source) return undefined;
    if (source) start -= source[0].length;
    const rest = /^\w*/.exec(text.slice(caret))?.[0].length ?? 0;
    return { start, end: caret + rest, typed, source: source?.[1] };
  }

  function partAt(text: string, caret: number, mode: string | undefined): TextPart | undefined {
    switch (mode) {
      case 'comma':
        return listItem(text, caret);
      case 'line':
        return firstWord(text, caret);
      case 'expression':
        return nameInExpression(text, caret);
      default:
        return wholeText(text);
    }
  }

  /** The field's text with `part` replaced by `value`, quoted where the field holds JSON. */
  function fill(text: string, part: TextPart, value: string, json: boolean): string {
    return text.slice(0, part.start) + (json ? JSON.stringify(value) : value) + text.slice(part.end);
  }

  window.CometTextParts = { partAt, fill };
})();
