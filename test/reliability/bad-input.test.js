'use strict';
// Bad values for every parameter kind of the catalogue: each fails its msg
// with a bad-input error that names the parameter, and nothing is sent.
const assert = require('node:assert/strict');
const { SAMPLE_KEY, configNode } = require('../helpers/runtime');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');
const { useSampleServer } = require('../helpers/sample-server');
const { useRig } = require('./rig');
const { section } = require('./matrix');

const row = section(__filename, 'Bad input (every parameter kind; nothing may be sent)');

const experiment = { type: 'comet-get-experiment', operation: 'metadata' };
const projectsPage = { type: 'comet-get-projects', operation: 'projectsPage' };
const chart = { type: 'comet-get-metrics', operation: 'chart' };
const query = { type: 'comet-query-project', operation: 'query' };
const panel = { type: 'comet-download-model', operation: 'panel', output: 'buffer' };
const registryDownload = { type: 'comet-download-model', operation: 'registryModel', output: 'buffer' };

const HUGE = 'k'.repeat(100_000);

/** [kind, value shown in the table, node, msg, parameter the error must name] */
const CASES = [
  ['string', 'missing', experiment, {}, 'experimentKey'],
  ['string', 'empty string', experiment, { experimentKey: '' }, 'experimentKey'],
  ['string', 'wrong type (true)', experiment, { experimentKey: true }, 'experimentKey'],
  ['string', 'object where text is expected', experiment, { experimentKey: { key: 'abc' } }, 'experimentKey'],
  ['string', 'array where text is expected', experiment, { experimentKey: ['abc'] }, 'experimentKey'],
  ['string', 'NaN', experiment, { experimentKey: Number.NaN }, 'experimentKey'],
  ['string', 'huge string (100,000 characters)', experiment, { experimentKey: HUGE }, 'experimentKey'],
  ['string', 'control characters ("abc\\u0000def")', experiment, { experimentKey: 'abc\u0000def' }, 'experimentKey'],
  ['string', 'newline (header/log injection)', experiment, { experimentKey: 'abc\r\nX-Injected: 1' }, 'experimentKey'],
  ['path segment', '"../" (templateId "../../admin")', panel, { templateId: '../../admin' }, 'templateId'],
  ['path segment', '".." alone', panel, { templateId: '..' }, 'templateId'],
  ['path segment', 'a slash ("a/b")', panel, { templateId: 'a/b' }, 'templateId'],
  ['path segment', 'a backslash ("a\\\\b")', panel, { templateId: 'a\\b' }, 'templateId'],
  ['integer', 'text that is not a number ("ten")', projectsPage, { workspace: 'ml-team', offset: 'ten' }, 'offset'],
  ['integer', 'negative (-1)', projectsPage, { workspace: 'ml-team', offset: -1 }, 'offset'],
  ['integer', 'fraction (2.5)', projectsPage, { workspace: 'ml-team', count: 2.5 }, 'count'],
  ['integer', 'object', projectsPage, { workspace: 'ml-team', count: { n: 1 } }, 'count'],
  ['boolean', 'text other than true/false ("yes")', projectsPage, { workspace: 'ml-team', public: 'yes' }, 'public'],
  ['boolean', 'number (1)', projectsPage, { workspace: 'ml-team', starterProject: 1 }, 'starterProject'],
  ['enum', 'a value not in the list ("sideways")', projectsPage, { workspace: 'ml-team', order: 'sideways' }, 'order'],
  ['string list', 'missing', chart, { metrics: ['loss'] }, 'experimentKeys'],
  ['string list', 'empty array', chart, { experimentKeys: [], metrics: ['loss'] }, 'experimentKeys'],
  ['string list', 'number (5)', chart, { experimentKeys: 5, metrics: ['loss'] }, 'experimentKeys'],
  ['string list', 'array holding an object', chart, { experimentKeys: ['k1', { k: 2 }], metrics: ['loss'] }, 'experimentKeys'],
  ['string list', 'array holding an empty string', chart, { experimentKeys: ['k1'], metrics: ['loss', ''] }, 'metrics'],
  ['JSON array', 'missing', query, { projectId: 'p1' }, 'predicates'],
  ['JSON array', 'not an array (an object)', query, { projectId: 'p1', predicates: { id: 'x' } }, 'predicates'],
  ['JSON array', 'JSON text that is not an array ("{}")', query, { projectId: 'p1', predicates: '{}' }, 'predicates'],
  ['JSON array', 'JSON text with a syntax error ("[{")', query, { projectId: 'p1', predicates: '[{' }, 'predicates'],
  ['JSON array', 'a number', query, { projectId: 'p1', predicates: 7 }, 'predicates'],
  ['one of', 'neither projectId nor projectName + workspace', query, { predicates: [], workspace: '' }, 'projectId'],
  ['one of', 'projectName without a workspace (none in the config node either)', query, { predicates: [], projectName: 'churn' }, 'workspace'],
  ['exclusive', 'version and stage both given', registryDownload, { workspace: 'ml-team', modelName: 'churn-model', version: '1.0.0', stage: 'production' }, 'stage'],
];

describe('reliability: bad input', function () {
  const rig = useRig();
  const ctx = useSampleServer();

  for (const [kind, shown, node, msg, param] of CASES) {
    row(`${kind}: ${shown}`, `bad-input error naming ${param}; nothing sent`, async () => {
      const { server } = ctx;
      // No default workspace, so that a missing workspace stays missing.
      await rig.deploy(flowAround(node, [configNode(server, { workspace: '' })]), { cfg: { apiKey: SAMPLE_KEY } });
      const outcomes = recordOutcomes();
      outcomes.inject(1, () => msg);
      await outcomes.settled(1);
      assert.deepEqual(outcomes.problems(1), []);
      const error = outcomes.caught[0] && outcomes.caught[0].error;
      assert.ok(error, 'the msg should fail');
      assert.equal(error.code, 'COMET_BAD_INPUT', error.message);
      assert.ok(error.message.includes(param), `"${error.message}" should name ${param}`);
      assert.ok(error.message.length < 400, 'the message stays readable (no echo of a huge value)');
      assert.equal(server.requests.length, 0, 'nothing is sent');
      await rig.finish([server]);
      return `caught ${error.code}: "${error.message}"; 0 requests`;
    });
  }
});
