import type { Node, NodeAPI, NodeDef } from 'node-red';
import { CometError } from './client/errors';
import type { Translate } from './client/translate';
import type { CometConfigNode } from './node-red/config';
import { nodeRedTranslate } from './node-red/i18n';
import { handleMessages } from './node-red/lifecycle';
import { cachedAsk } from './node-red/lookups';
import { ParamResolver, type NodeConfig } from './node-red/params';
import { REPORT_INPUTS } from './report/inputs';
import { reportOptions } from './report/options';
import { buildReport } from './report/report';

interface ReportNodeConfig extends NodeDef {
  server?: string;
}

/**
 * A leaderboard of a project's experiments in one node (src/report/): the
 * inputs read and checked as every node's parameters are, then the report
 * in msg.payload, msg.report, msg.filename and, with charts, msg.charts;
 * for an e-mail also msg.attachments, msg.plaintext and msg.topic.
 */
export = (RED: NodeAPI): void => {
  const t = nodeRedTranslate(RED);
  const own: Translate = (key, vars) => RED._(`comet-report.${key}`, vars as Record<string, string | number> | undefined);

  function CometReport(this: Node, config: ReportNodeConfig): void {
    RED.nodes.createNode(this, config);
    const configNode = RED.nodes.getNode(config.server ?? '') as CometConfigNode | null;
    const resolver = new ParamResolver(RED, this, config as unknown as NodeConfig, REPORT_INPUTS, t);
    // Where resvg cannot load, every mail goes without charts: said once, not with every msg.
    let toldNoCharts = false;

    handleMessages(this, t, async (msg, { request }) => {
      if (!configNode) throw CometError.badInput(t('errors.noConfig'));
      const options = reportOptions(await resolver.resolve(msg, configNode.workspace), own);
      const output = await buildReport({ client: configNode.client(), request, t, own, ask: cachedAsk(configNode, request) }, options);
      msg.payload = output.payload;
      msg.report = output.report;
      msg.filename = output.filename;
      if (output.charts) msg.charts = output.charts;
      if (output.mail) {
        msg.attachments = output.mail.attachments;
        msg.plaintext = output.mail.plaintext;
        if (msg.topic === undefined || msg.topic === null || msg.topic === '') msg.topic = output.mail.subject;
        if (output.mail.chartsLeftOut !== undefined && !toldNoCharts) {
          toldNoCharts = true;
          this.warn(own('warnings.noRenderer', { reason: output.mail.chartsLeftOut }));
        }
      }
      const { rows, experimentsConsidered } = output.report;
      return own('status.rows', { count: rows.length, considered: experimentsConsidered });
    });
  }

  RED.nodes.registerType('comet-report', CometReport as never);
};
