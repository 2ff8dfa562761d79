'use strict';
// The report the examples' HTML and e-mail reports make, as a comet-report
// node's fields: the top 5 of churn by val_loss:min, three metric columns
// and three parameters, charts on. Tests add the format.
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

module.exports = { churnTop5 };
