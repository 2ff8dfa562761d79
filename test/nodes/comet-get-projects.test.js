'use strict';
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { useNodeTest, loadNode, succeed, fail, onlyRequest, describeOperations, describeBadInputs, describeWorkspaceChain, describeMessageHandling } = require('./harness');

const TYPE = 'comet-get-projects';

describe('comet-get-projects', function () {
  const ctx = useNodeTest();

  describe('operations', function () {
    describeOperations(ctx, TYPE, [
      {
        operation: 'workspaces',
        msg: {},
        path: 'workspaces',
        check: (payload) => assert.deepEqual(payload, { workspaceNames: ['ml-team', 'research'] }),
        status: '2 workspaces',
      },
      {
        operation: 'projects',
        msg: { workspace: 'research' },
        path: 'projects',
        query: { workspaceName: 'research' },
        check: (payload) => assert.deepEqual(payload.projects.map((p) => p.projectName), ['vision', 'nlp-baselines']),
        status: '2 projects',
      },
      {
        operation: 'projectsPage',
        msg: { workspace: 'ml-team', offset: 1, count: '1', sort: 'projectName', order: 'asc', owner: 'ada', public: false, starterProject: 'false', search: 'c' },
        path: 'projects/page',
        query: { workspaceName: 'ml-team', offset: '1', count: '1', sort: 'projectName', order: 'asc', owner: 'ada', public: 'false', starterProject: 'false', search: 'c' },
        check: (payload) => {
          assert.deepEqual(payload.rows.map((r) => r.projectName), ['fraud']);
          assert.equal(payload.filteredRowCount, 2);
        },
        status: '1 project',
      },
      {
        title: 'project by id: GET project',
        operation: 'project',
        msg: { projectId: ids.projects.churn },
        path: 'project',
        query: { projectId: ids.projects.churn },
        check: (payload) => assert.equal(payload.projectName, 'churn'),
        status: 'done',
      },
      {
        title: 'project by name and workspace: GET project, projectId left out',
        operation: 'project',
        msg: { projectName: 'vision', workspace: 'research' },
        path: 'project',
        query: { projectName: 'vision', workspaceName: 'research' },
        check: (payload) => assert.equal(payload.projectId, ids.projects.vision),
      },
      {
        operation: 'columns',
        msg: { projectId: ids.projects.churn, archived: true },
        path: 'project/column-names',
        query: { projectId: ids.projects.churn, archived: 'true' },
        check: (payload) => assert.ok(payload.columns.some((c) => c.name === 'loss' && c.source === 'metrics')),
        status: (payload) => `${payload.columns.length} columns`,
      },
      {
        operation: 'notes',
        msg: { projectId: ids.projects.fraud },
        path: 'project/notes',
        query: { projectId: ids.projects.fraud },
        check: (payload) => assert.match(payload.notes, /^Fraud detector experiments/),
        status: 'done',
      },
      {
        operation: 'shareLinks',
        msg: { projectId: ids.projects.churn },
        path: 'project/get-project-share-links',
        query: { projectId: ids.projects.churn },
        check: (payload) => assert.deepEqual(payload, { shareCodes: ['37645346359823'] }),
        status: '1 share link',
      },
      {
        operation: 'account',
        msg: {},
        path: 'account-details',
        check: (payload) => assert.deepEqual(payload, { userName: 'ada', defaultWorkspaceName: 'ml-team' }),
      },
    ]);
  });

  describe('project names for endpoints that take only projectId', function () {
    for (const operation of ['notes', 'shareLinks']) {
      it(`${operation}: looks the id up by name once per deployment, then asks by id`, async function () {
        const { server } = ctx;
        const loaded = await loadNode(server, { type: TYPE, operation });
        const first = await succeed(loaded, { projectName: 'churn' });
        assert.deepEqual(
          server.requests.map((r) => [r.path, r.query]),
          [
            ['project', { projectName: 'churn', workspaceName: 'ml-team' }],
            [operation === 'notes' ? 'project/notes' : 'project/get-project-share-links', { projectId: ids.projects.churn }],
          ],
        );
        server.clearRequests();
        const second = await succeed(loaded, { projectName: 'churn' });
        assert.deepEqual(second.payload, first.payload);
        assert.deepEqual(server.requests.map((r) => r.query), [{ projectId: ids.projects.churn }]);
      });
    }

    it('an unknown project name fails with COMET_NOT_FOUND from the lookup, and is asked again next time', async function () {
      const { server } = ctx;
      const loaded = await loadNode(server, { type: TYPE, operation: 'notes' });
      const caught = await fail(loaded, { projectName: 'nope' });
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.equal(caught.error.cause.statusCode, 404);
      assert.equal(caught.error.cause.endpoint, 'project');
      await fail(loaded, { projectName: 'nope' });
      assert.deepEqual(server.requests.map((r) => r.path), ['project', 'project']);
    });
  });

  describe('where values come from', function () {
    it('a value set in the node wins over msg', async function () {
      const { server } = ctx;
      const loaded = await loadNode(server, { type: TYPE, operation: 'projectsPage', count: '2', countType: 'num', search: 'fraud', searchType: 'str' });
      const out = await succeed(loaded, { count: 99, search: 'churn' });
      assert.deepEqual(onlyRequest(server).query, { workspaceName: 'ml-team', count: '2', search: 'fraud' });
      assert.deepEqual(out.payload.rows.map((r) => r.projectName), ['fraud']);
    });

    it('fields of other types: msg property, flow context, env and JSONata', async function () {
      const { server } = ctx;
      process.env.COMET_TEST_OWNER = 'ada';
      try {
        const loaded = await loadNode(server, {
          type: TYPE,
          operation: 'projectsPage',
          workspace: 'target.ws',
          workspaceType: 'msg',
          owner: 'COMET_TEST_OWNER',
          ownerType: 'env',
          search: '$uppercase(term)',
          searchType: 'jsonata',
          offset: 'skip',
          offsetType: 'flow',
        });
        loaded.node.context().flow.set('skip', 0);
        await succeed(loaded, { target: { ws: 'ml-team' }, term: 'churn' });
        assert.deepEqual(onlyRequest(server).query, { workspaceName: 'ml-team', owner: 'ada', search: 'CHURN', offset: '0' });
      } finally {
        delete process.env.COMET_TEST_OWNER;
      }
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    describeBadInputs(ctx, TYPE, [
      ['project', {}, ['project needs projectId, or projectName + workspace']],
      ['project', { projectName: 'churn' }, ['projectId, or projectName + workspace'], {}, { workspace: '' }],
      ['columns', { projectId: ids.projects.churn, archived: 'maybe' }, ['archived must be true or false', '"maybe"']],
      ['projectsPage', { offset: 'abc' }, ['offset must be a whole number', 'msg.offset']],
      ['projectsPage', { count: -1 }, ['count must be a whole number']],
      ['projectsPage', { order: 'sideways' }, ['order must be one of asc, desc']],
      ['projectsPage', { public: 'yes' }, ['public must be true or false']],
      ['projectsPage', { search: 'a\nb' }, ['search contains control characters']],
      ['projects', { workspace: { name: 'ml-team' } }, ['workspace must be text', 'an object']],
      ['projectsPage', {}, ['offset could not be read'], { offset: '$$$nope(', offsetType: 'jsonata' }],
    ]);
  });

  describeWorkspaceChain(ctx, TYPE, 'projects');
  describeWorkspaceChain(ctx, TYPE, 'projectsPage', { count: 1 });
  describeMessageHandling(ctx, TYPE, { operation: 'projects', msg: { workspace: 'ml-team' }, summary: '3 projects' });

  describe('failures from Comet reach the Catch node', function () {
    it('unknown project id: COMET_NOT_FOUND with cause, red ring, the msg kept', async function () {
      const { server } = ctx;
      const loaded = await loadNode(server, { type: TYPE, operation: 'project' });
      const caught = await fail(loaded, { projectId: 'no-such-project', topic: 'mine' });
      assert.equal(caught.topic, 'mine');
      assert.equal(caught.projectId, 'no-such-project');
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.deepEqual(caught.error.cause, { code: 'COMET_NOT_FOUND', statusCode: 404, endpoint: 'project' });
      assert.match(caught.error.message, /projectId "no-such-project"/);
      assert.deepEqual(await loaded.status.until((s) => s.fill === 'red'), { fill: 'red', shape: 'ring', text: 'not found (404)' });
    });

    it('a key Comet rejects: COMET_KEY_REJECTED, and the key appears nowhere in the msg', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'workspaces' }, { apiKey: 'wrong-secret-key' });
      const caught = await fail(loaded, {});
      assert.equal(caught.error.code, 'COMET_KEY_REJECTED');
      assert.equal(caught.error.cause.sdkErrorCode, 90212);
      assert.doesNotMatch(JSON.stringify(caught), /wrong-secret-key/);
      assert.doesNotMatch(JSON.stringify(loaded.status.seen), /wrong-secret-key/);
    });
  });
});
