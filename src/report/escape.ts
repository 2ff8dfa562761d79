/**
 * Experiment names, parameter values and metric names are whatever people
 * logged: each output format gets them only through these, so a name can
 * never become markup, a broken table or a spreadsheet formula.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML and SVG (XML), in element content and quoted attributes alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * A Markdown table cell: `|` would end the cell and a line break the row;
 * the punctuation Markdown would read as markup or raw HTML is backslash-escaped
 * so that it shows as itself.
 */
export function markdownCell(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/[\\|<>`*[\]]/g, (c) => `\\${c}`);
}

/** A number as plain decimal text: a spreadsheet reads it as that number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, quotes doubled. Text a spreadsheet would run as a formula (leading
 * `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, as OWASP
 * advises; a plain number such as `-0.5` stays as it is.
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
