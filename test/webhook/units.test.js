'use strict';
// The webhook node's pure parts: reading Comet's body, the repeat window, the secret check.
const assert = require('node:assert/strict');
const { readWebhook, webhookChanges } = require('../../nodes/triggers/registry-events');
const { DedupWindow } = require('../../nodes/triggers/dedup-window');
const { holdsSecret } = require('../../nodes/node-red/webhook-http');

const AT = '2024-01-01T00:00:00.000Z';
const BODY = { workspaceName: 'ml-team', registryModelName: 'churn-model', version: '2.3.42', stages: ['production'] };
const kinds = (events) => events.map((e) => `${e.event}${e.stage ? ` ${e.stage}` : ''}`);

describe('webhook: reading Comet bodies', function () {
  it('reads the documented shape as a stage change, with nothing known before', () => {
    const sighting = readWebhook(BODY);
    assert.deepEqual(sighting.ref, { workspace: 'ml-team', modelName: 'churn-model', version: '2.3.42' });
    assert.equal(sighting.change, 'stages');
    const [event] = webhookChanges(sighting, undefined, AT);
    assert.deepEqual(
      { event: event.event, stage: event.stage, stages: event.stages, previousStages: event.previousStages, detectedAt: event.detectedAt },
      { event: 'stage-added', stage: 'production', stages: ['production'], previousStages: [], detectedAt: AT },
    );
  });

  it('diffs against the last delivery about the version, or what the body says it was', () => {
    const sighting = readWebhook({ ...BODY, stages: ['staging', 'production'] });
    assert.deepEqual(kinds(webhookChanges(sighting, { stages: ['staging'] }, AT)), ['stage-added production']);
    const told = readWebhook({ ...BODY, stages: [], previousStages: ['production'] });
    assert.deepEqual(kinds(webhookChanges(told, undefined, AT)), ['stage-removed production']);
    assert.deepEqual(webhookChanges(sighting, { stages: ['production', 'staging'] }, AT), [], 'no change: no event');
  });

  it('maps Comet triggers to events', () => {
    const created = readWebhook({ ...BODY, trigger: 'MODEL_VERSION_CREATED' });
    assert.deepEqual(kinds(webhookChanges(created, undefined, AT)), ['version-created']);
    const deleted = readWebhook({ ...BODY, eventType: 'MODEL_VERSION_DELETED' });
    assert.deepEqual(kinds(webhookChanges(deleted, undefined, AT)), ['version-deleted']);
    const status = readWebhook({ ...BODY, trigger: 'MODEL_VERSION_STATUS_CHANGED', status: 'Production' });
    const events = webhookChanges(status, undefined, AT);
    assert.deepEqual(kinds(events), ['status-changed'], 'a status change does not also claim stage changes');
    assert.deepEqual([events[0].previousStatus, events[0].status], [null, 'Production']);
    const tag = readWebhook({ ...BODY, trigger: 'MODEL_TAG_CHANGED' });
    assert.equal(tag.change, 'stages');
  });

  it('a stage webhook does not claim a status change', () => {
    const sighting = readWebhook({ ...BODY, status: 'Production' });
    assert.deepEqual(kinds(webhookChanges(sighting, undefined, AT)), ['stage-added production']);
  });

  it('leaves shapes it does not know alone', () => {
    assert.equal(readWebhook(null), undefined);
    assert.equal(readWebhook([BODY]), undefined);
    assert.equal(readWebhook({ registryModelName: 'm' }), undefined);
    assert.equal(readWebhook({ registryModelName: 'm', version: '1' }), undefined, 'no trigger, no stages: unknown');
    assert.equal(readWebhook({ ...BODY, trigger: 'SOMETHING_ELSE' }), undefined);
    assert.equal(readWebhook({ modelName: 'm', version: '1', stages: [] }).ref.modelName, 'm');
  });
});

describe('webhook: the repeat window', function () {
  it('knows a key within the window, forgets it after', () => {
    const window = new DedupWindow(1000);
    assert.equal(window.seen('a', 0), false);
    assert.equal(window.seen('a', 999), true);
    assert.equal(window.seen('b', 999), false);
    assert.equal(window.seen('a', 1000), false);
    assert.equal(window.seen('a', 1500), true);
  });

  it('holds at most maxKeys keys, dropping the oldest', () => {
    const window = new DedupWindow(60_000, 2);
    window.seen('a', 0);
    window.seen('b', 1);
    window.seen('c', 2);
    assert.equal(window.seen('a', 3), false, 'a was dropped');
    assert.equal(window.seen('c', 4), true);
  });
});

describe('webhook: the secret check', function () {
  it('takes only the exact value', () => {
    assert.equal(holdsSecret('s3cret', 's3cret'), true);
    assert.equal(holdsSecret('s3cret ', 's3cret'), false);
    assert.equal(holdsSecret('s3cre', 's3cret'), false, 'a prefix, of another length');
    assert.equal(holdsSecret(undefined, 's3cret'), false);
    assert.equal(holdsSecret(['s3cret'], 's3cret'), false);
  });
});
