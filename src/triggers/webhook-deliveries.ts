import { eventIdOf, type TriggerMessage } from './event-id';
import { eventMessage, readWebhook, webhookChanges, type VersionState } from './registry-events';

/** The kind of trigger in the ids of its msgs. */
const TRIGGER = 'webhook';

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

  /**
   * The msgs of one delivery. Each msg's eventId is a hash of the body and
   * the event it tells, so Comet sending the same delivery again (to this
   * process or another) gives the same ids; what this process remembered
   * before (which differs between processes) is not part of it.
   */
  messagesOf(body: unknown): TriggerMessage[] {
    const raw = { comet: { raw: body } };
    const sighting = readWebhook(body);
    const asItCame = (): TriggerMessage[] => [{ eventId: eventIdOf(TRIGGER, '', [body]), payload: body, ...raw }];
    if (!sighting) return asItCame();
    const { workspace, modelName, version } = sighting.ref;
    const key = JSON.stringify([workspace, modelName, version]);
    const events = webhookChanges(sighting, this.remembered.get(key), new Date().toISOString());
    this.remembered.delete(key);
    if (sighting.change !== 'deleted') this.remembered.set(key, sighting.current);
    if (this.remembered.size > REMEMBERED_VERSIONS) this.remembered.delete(this.remembered.keys().next().value as string);
    if (!events.length) return asItCame();
    return events.map((event) => ({ ...eventMessage(event, eventIdOf(TRIGGER, '', [body, event.event, event.stage])), ...raw }));
  }
}
