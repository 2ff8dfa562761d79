'use strict';
// The report the examples' HTML and e-mail reports make, as a comet-report
// node's fields: the top 5 of churn by val_loss:min, three metric columns
// and three parameters, charts on. Tests add the format. And the flow that
// mails a report: the node wired to node-red-node-email.
const { helper, configNode, credentialsFor, load } = require('./runtime');
const { flowAround, recordOutcomes } = require('./outcomes');

const EMAIL_NODE = require('node-red-node-email/61-email.js');
const CHURN_TOP5 = {
  type: 'comet-report',
  projectName: 'churn',
  projectNameType: 'str',
  metrics: 'val_loss:min, accuracy:max, loss:min',
  metricsType: 'str',
  params: 'model_type, learning_rate, max_depth',
  paramsType: 'str',
  order: 'asc',
  orderType: 'str',
  limit: '5',
  limitType: 'num',
  charts: 'true',
  chartsType: 'bool',
};

/** The node with `format` (a str TypedInput). */
function churnTop5(format) {
  return { ...CHURN_TOP5, format, formatType: 'str' };
}

/**
 * The report node `props` as `n`, wired to the test's output and to a
 * node-red-node-email node set up for a plain local SMTP server on
 * `smtpPort` (no TLS, no login), as the examples' mail branch is. Returns
 * { node, outcomes } as the node harness's loadNode does.
 */
async function loadMailFlow(server, smtpPort, props) {
  const config = configNode(server);
  const flow = flowAround(props, [config]);
  flow.find((n) => n.id === 'n').wires = [['out', 'mail']];
  flow.push({ id: 'mail', z: 'f1', type: 'e-mail', server: '127.0.0.1', port: String(smtpPort), secure: false, tls: false, authtype: 'NONE', name: 'ml-team@example.com', dname: 'team' });
  await load(flow, credentialsFor(config), [EMAIL_NODE]);
  return { node: helper.getNode('n'), outcomes: recordOutcomes() };
}

module.exports = { churnTop5, loadMailFlow };
