/**
 * One report from start to end: gather the figures (gather.ts), build the
 * sorted rows (rows.ts), draw the charts (svg.ts) and write the format asked
 * for (formats.ts; the e-mail, with its PNG charts, email.ts). What the node puts in the msg comes out of here whole.
 */
import type { Ask } from '../catalogue/lookups';
import type { CometClient, SendOptions } from '../client/client';
import type { Translate } from '../client/translate';
import { email, type Mail } from './email';
import { csv, html, markdown } from './formats';
import { gather } from './gather';
import type { Format, ReportOptions } from './options';
import { buildRows, columnsOf, linesOf, type Report, type Row } from './rows';
import { lineChart } from './svg';

export interface ReportOutput {
  /** The report in the format asked for. */
  readonly payload: string | Row[];
  readonly report: Report;
  /** `<projectName>-report-<YYYY-MM-DD>.<ext>` */
  readonly filename: string;
  /** One SVG per metric, with `charts`. */
  readonly charts?: Record<string, string>;
  /** Format email: the attachments, text part and subject beside the HTML in payload. */
  readonly mail?: Omit<Mail, 'html'>;
}

export interface ReportContext {
  readonly client: CometClient;
  /** What every request of the report is sent with: the node's close signal, and where to tell of waits. */
  readonly request: SendOptions;
  /** The package's shared messages. */
  readonly t: Translate;
  /** comet-report's own messages and words. */
  readonly own: Translate;
  /** Asks what a filter needs (the project's columns) through the config node's lookup cache. */
  readonly ask: Ask;
  /** The time the report is dated (tests fix it). */
  readonly now?: () => Date;
}

const EXTENSIONS: Readonly<Record<Format, string>> = { markdown: 'md', html: 'html', email: 'html', csv: 'csv', rows: 'json' };

/** A file name from a project name: letters, digits, dot, dash and underscore only. */
function filenameOf(projectName: string, generatedAt: string, format: Format): string {
  const base = projectName.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'comet';
  return `${base}-report-${generatedAt.slice(0, 10)}.${EXTENSIONS[format]}`;
}

export async function buildReport(ctx: ReportContext, options: ReportOptions): Promise<ReportOutput> {
  const { project, experiments, collected } = await gather(ctx, options);
  const generatedAt = (ctx.now?.() ?? new Date()).toISOString();
  const rows = buildRows(experiments, collected, options);
  const report: Report = { project, columns: columnsOf(options), rows, experimentsConsidered: experiments.length, generatedAt };
  let charts: Record<string, string> | undefined;
  if (options.charts) {
    const words = { step: ctx.own('report.step'), noValues: ctx.own('report.noValues') };
    const metrics = [...new Set(options.columns.map((c) => c.metric))];
    // fromEntries: a metric named __proto__ is a key like any other.
    charts = Object.fromEntries(metrics.map((m) => [m, lineChart(m, linesOf(m, rows, collected), words)]));
  }
  const filename = filenameOf(project.projectName, generatedAt, options.format);
  if (options.format === 'email') {
    const { html: body, ...mail } = await email(report, options, ctx.own, charts);
    return { payload: body, report, filename, mail, ...(charts ? { charts } : {}) };
  }
  const payload = {
    markdown: () => markdown(report, options, ctx.own),
    html: () => html(report, options, ctx.own, charts),
    csv: () => csv(report, ctx.own),
    rows: () => rows,
  }[options.format]();
  return { payload, report, filename, ...(charts ? { charts } : {}) };
}
