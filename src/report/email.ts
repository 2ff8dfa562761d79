/**
 * The report as an e-mail for node-red-node-email: HTML that mail clients
 * show as written, the charts as PNG attachments, a text part and a subject.
 * Gmail and Outlook draw no SVG, Gmail no `data:` image and no <style> it
 * does not like, and Gmail clips a body over about 102 KB: so the layout is
 * tables with inline styles, each chart an <img src="cid:..."> of a PNG part.
 */
import type { Translate } from '../client/translate';
import { escapeHtml } from './escape';
import { cellText, heading, htmlTable, isNumberColumn, title, type TableMarkup } from './formats';
import type { ReportOptions } from './options';
import { pngRenderer, type Png } from './png';
import type { Report } from './rows';

/** An attachment in nodemailer's form, which node-red-node-email passes on as it is. */
export interface MailAttachment {
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType: 'image/png';
  readonly cid: string;
}

export interface Mail {
  readonly html: string;
  readonly attachments: MailAttachment[];
  readonly plaintext: string;
  readonly subject: string;
  /** Why the charts were left out, when they were asked for and resvg could not load. */
  readonly chartsLeftOut?: string;
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const STYLE = {
  body: 'margin:0;padding:0;background:#f4f4f4',
  page: 'background:#f4f4f4',
  outer: 'padding:24px 12px',
  sheet: 'width:760px;max-width:100%;background:#ffffff;border:1px solid #e5e5e5',
  inner: `padding:20px;${FONT};color:#222222`,
  h1: `margin:0 0 4px;font-size:20px;line-height:26px;font-weight:600;${FONT};color:#222222`,
  h2: `margin:24px 0 8px;font-size:16px;line-height:22px;font-weight:600;${FONT};color:#222222`,
  meta: `margin:0 0 16px;font-size:13px;line-height:18px;${FONT};color:#666666`,
  table: `border-collapse:collapse;font-size:13px;${FONT}`,
  th: 'padding:6px 10px;border-bottom:1px solid #dddddd;background:#f5f5f5;text-align:left;white-space:nowrap',
  td: 'padding:6px 10px;border-bottom:1px solid #dddddd;text-align:left;white-space:nowrap',
  number: 'padding:6px 10px;border-bottom:1px solid #dddddd;text-align:right;white-space:nowrap',
  key: 'font-family:Consolas,Menlo,monospace;font-size:12px;color:#555555',
  img: 'display:block;max-width:100%;height:auto;border:0;margin:0 0 16px',
} as const;

/** The report's table as mail clients show it: inline styles, a layout table. */
const MAIL_TABLE: TableMarkup = {
  th: `<th style="${STYLE.th}">`,
  td: `<td style="${STYLE.td}">`,
  number: `<td style="${STYLE.number}">`,
  key: (text) => `<span style="${STYLE.key}">${text}</span>`,
  table: (head, rows) => `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="${STYLE.table}"><tr>${head}</tr>${rows}</table>`,
};

/** A chart's file name: its place and the metric's name in letters, digits, dot, dash and underscore. */
function pngName(index: number, metric: string): string {
  return `chart-${index + 1}-${metric.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'metric'}.png`;
}

/** The report as text, one aligned table: what a client that shows no HTML shows. */
function plaintext(report: Report, options: ReportOptions, own: Translate, chartNames: readonly string[]): string {
  const oneLine = (text: string): string => text.replace(/\s+/g, ' ');
  const lines = [report.columns.map((c) => oneLine(heading(c, own))), ...report.rows.map((row) => report.columns.map((c) => oneLine(cellText(row[c]))))];
  const widths = report.columns.map((_, i) => Math.max(...lines.map((cells) => cells[i].length)));
  const text = lines.map((cells) => cells.map((cell, i) => (isNumberColumn(report.columns[i], options) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd());
  text.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return [
    title(report, options, own),
    '',
    ...text,
    '',
    ...(chartNames.length ? [own('report.chartsAttached', { names: chartNames.join(', ') })] : []),
    own('report.generated', { at: report.generatedAt }),
    '',
  ].join('\n');
}

/** The mail of a report; `charts` (metric: SVG) become PNG parts when resvg loads here. */
export async function email(report: Report, options: ReportOptions, own: Translate, charts: Readonly<Record<string, string>> = {}): Promise<Mail> {
  const metrics = Object.keys(charts);
  const renderer = metrics.length ? pngRenderer() : undefined;
  const pngs: Png[] = renderer && 'render' in renderer ? await Promise.all(metrics.map((m) => renderer.render(charts[m]))) : [];
  const attachments = pngs.map((png, i): MailAttachment => ({ filename: pngName(i, metrics[i]), content: png.content, contentType: 'image/png', cid: `chart-${i + 1}@comet-report` }));
  const images = pngs.map((png, i) => {
    const alt = escapeHtml(own('report.chartAlt', { metric: metrics[i] }));
    return `<img src="cid:${attachments[i].cid}" width="${png.width}" height="${png.height}" alt="${alt}" style="${STYLE.img}">`;
  });
  const heading1 = escapeHtml(title(report, options, own));
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${heading1}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${STYLE.page}"><tr><td align="center" style="${STYLE.outer}">`,
    `<table role="presentation" width="760" cellpadding="0" cellspacing="0" border="0" style="${STYLE.sheet}"><tr><td align="left" style="${STYLE.inner}">`,
    `<h1 style="${STYLE.h1}">${heading1}</h1>`,
    `<p style="${STYLE.meta}">${escapeHtml(own('report.generated', { at: report.generatedAt }))}</p>`,
    htmlTable(report, options, own, MAIL_TABLE),
    images.length ? `<h2 style="${STYLE.h2}">${escapeHtml(own('report.charts'))}</h2>${images.join('')}` : '',
    '</td></tr></table>',
    '</td></tr></table>',
    '</body></html>',
    '',
  ].join('\n');
  const { workspace, projectName } = report.project;
  return {
    html,
    attachments,
    plaintext: plaintext(report, options, own, attachments.length ? metrics : []),
    subject: own('report.subject', { project: `${workspace}/${projectName}`, date: report.generatedAt.slice(0, 10) }),
    ...(renderer && 'unavailable' in renderer ? { chartsLeftOut: renderer.unavailable } : {}),
  };
}
