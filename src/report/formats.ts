/**
 * A report as Markdown, a standalone HTML document, or CSV (the e-mail is
 * email.ts, from the same pieces). Every cell and
 * name goes through escape.ts. Numbers are written as JavaScript writes
 * them, so a cell reads exactly the value Comet's summary gave.
 */
import type { Translate } from '../client/translate';
import { csvField, escapeHtml, markdownCell } from './escape';
import type { ReportOptions } from './options';
import type { Report, Row } from './rows';

const NAME_COLUMNS = new Set(['experimentName', 'experimentKey']);

export function cellText(value: Row[string]): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A column's heading: the names' in words, the others as written (`loss:min`, `max_depth`). */
export function heading(column: string, own: Translate): string {
  return NAME_COLUMNS.has(column) ? own(`report.column.${column}`) : column;
}

export function title(report: Report, options: ReportOptions, own: Translate): string {
  return own('report.title', {
    project: `${report.project.workspace}/${report.project.projectName}`,
    shown: report.rows.length,
    considered: report.experimentsConsidered,
    sortBy: options.sortBy.key,
    order: own(`report.order.${options.order}`),
  });
}

export function isNumberColumn(column: string, options: ReportOptions): boolean {
  return options.columns.some((c) => c.key === column);
}

export function markdown(report: Report, options: ReportOptions, own: Translate): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const rule = report.columns.map((c) => (isNumberColumn(c, options) ? '---:' : '---'));
  return [
    `# ${markdownCell(title(report, options, own))}`,
    '',
    line(report.columns.map((c) => markdownCell(heading(c, own)))),
    `|${rule.join('|')}|`,
    ...report.rows.map((row) => line(report.columns.map((c) => markdownCell(cellText(row[c]))))),
    '',
    markdownCell(own('report.generated', { at: report.generatedAt })),
    '',
  ].join('\n');
}

export function csv(report: Report, own: Translate): string {
  const line = (cells: string[]): string => cells.map(csvField).join(',');
  // RFC 4180: CRLF after every record.
  return [line(report.columns.map((c) => heading(c, own))), ...report.rows.map((row) => line(report.columns.map((c) => cellText(row[c]))))].map((l) => `${l}\r\n`).join('');
}

const STYLE = [
  'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:24px;max-width:1100px}',
  'h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}',
  '.meta{color:#666;margin:0 0 16px}',
  'table{border-collapse:collapse;font-size:13px}',
  'th,td{border-bottom:1px solid #ddd;padding:6px 10px;text-align:left;white-space:nowrap}',
  'th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}',
  'code{font-size:12px;color:#555}',
  'figure{margin:12px 0}svg{max-width:100%;height:auto}',
].join('');

/**
 * How an HTML table of the report is marked up: the document's with classes
 * and its <style>, the e-mail's with inline styles (mail clients keep no
 * <style>). The cells' text and which cell is which are the same for both.
 */
export interface TableMarkup {
  /** The opening tags of a heading, a text cell and a number cell. */
  readonly th: string;
  readonly td: string;
  readonly number: string;
  /** An experiment key, already escaped, inside its cell. */
  readonly key: (text: string) => string;
  /** The table around its heading cells and its rows. */
  readonly table: (head: string, rows: string) => string;
}

const DOCUMENT_TABLE: TableMarkup = {
  th: '<th>',
  td: '<td>',
  number: '<td class="n">',
  key: (text) => `<code>${text}</code>`,
  table: (head, rows) => `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`,
};

/** The report's table as HTML, marked up by `markup`; every name escaped. */
export function htmlTable(report: Report, options: ReportOptions, own: Translate, markup: TableMarkup = DOCUMENT_TABLE): string {
  const head = report.columns.map((c) => `${markup.th}${escapeHtml(heading(c, own))}</th>`).join('');
  const rows = report.rows.map((row) => {
    const cells = report.columns.map((c) => {
      const text = escapeHtml(cellText(row[c]));
      if (c === 'experimentKey') return `${markup.td}${markup.key(text)}</td>`;
      return `${isNumberColumn(c, options) ? markup.number : markup.td}${text}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return markup.table(head, rows.join(''));
}

/**
 * A whole HTML document, charts inline. Its Content-Security-Policy allows
 * no script, frame or remote load at all, so even a name that slipped past
 * escaping could not run in a browser that opens the file.
 */
export function html(report: Report, options: ReportOptions, own: Translate, charts: Readonly<Record<string, string>> = {}): string {
  const heading1 = escapeHtml(title(report, options, own));
  const figures = Object.values(charts).map((svg) => `<figure>${svg}</figure>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${heading1}</title><style>${STYLE}</style></head><body>`,
    `<h1>${heading1}</h1>`,
    `<p class="meta">${escapeHtml(own('report.generated', { at: report.generatedAt }))}</p>`,
    htmlTable(report, options, own),
    figures.length ? `<h2>${escapeHtml(own('report.charts'))}</h2>${figures.join('')}` : '',
    '</body></html>',
    '',
  ].join('\n');
}
