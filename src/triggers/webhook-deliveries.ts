import { eventMessage, readWebhook, webhookChanges, type VersionState } from './registry-events';

/** Versions whose last delivery is remembered, to tell which stage a stage webhook added. */
const REMEMBERED_VERSIONS = 10_000;

/**
 * Turns Comet's registry webhook deliveries into msgs: each change in the
 * model watch's event shape where the body allows it, else the body as it
 * came. Remembers the last state of each version, since a stage webhook
 * tells the stages now and not which one was added.
 */
export class WebhookDeliveries {
  /** The last state each version was reported in, keyed by workspace, model and version. */
  private readonly remembered = new Map<string, VersionState>();

  messagesOf(body: unknown): Record<string, unknown>[] {
    const raw = { comet: { raw: body } };
    const sighting = readWebhook(body);
    if (!sighting) return [{ payload: body, ...raw }];
    const { workspace, modelName, version } = sighting.ref;
    const key = JSON.stringify([workspace, modelName, version]);
    const events = webhookChanges(sighting, this.remembered.get(key), new Date().toISOString());
    this.remembered.delete(key);
    if (sighting.change !== 'deleted') this.remembered.set(key, sighting.current);
    if (this.remembered.size > REMEMBERED_VERSIONS) this.remembered.delete(this.remembered.keys().next().value as string);
    if (!events.length) return [{ payload: body, ...raw }];
    return events.map((event) => ({ ...eventMessage(event), ...raw }));
  }
}
