import type { Translate } from '../client/translate';
import type { LeaseState } from '../cluster/lease';
import type { SharedWatch } from '../cluster/shared';
import type { TriggerMessage } from '../triggers/event-id';
import type { MemoryStore } from '../triggers/memory-store';
import { LeaseLostError } from '../cluster/shared-memory';
import type { CometConfigNode } from './config';
import type { Lifecycle } from './lifecycle';

/**
 * A watch node's part among copies of its flow in other Node-RED processes
 * (a config with a Redis): it polls only while it holds the watch's lease,
 * starts from what the last holder kept when the lease comes to it, and
 * sends a msg only once it has claimed the msg's `eventId`. None of this
 * depends on the kind of watch.
 */
export class WatchShare {
  /** The lease came here since the last poll: what another holder kept since must be read afresh. */
  private fresh = false;

  private constructor(
    private readonly share: SharedWatch,
    private readonly life: Lifecycle,
    private readonly t: Translate,
  ) {}

  /**
   * The share of `nodeId`, or undefined when its config names no Redis. The
   * lease lives one interval without a beat (renewed three times in it), so
   * a copy takes over within two intervals of a holder's death.
   */
  static of(configNode: CometConfigNode, nodeId: string, intervalMs: number, life: Lifecycle, t: Translate, pollNow: () => void): WatchShare | undefined {
    const shared = configNode.shared();
    if (!shared) return undefined;
    let share: WatchShare | undefined = undefined;
    const watch = shared.watch(nodeId, intervalMs, (state) => share?.onLease(state, pollNow));
    share = new WatchShare(watch, life, t);
    life.onClose(() => watch.stop());
    return share;
  }

  /** What the watch has seen (and its outbox), in Redis under the lease. */
  get memory(): MemoryStore {
    return this.share.memory;
  }

  /** Starts the lease's beat; the node's close lets the lease go. */
  start(): void {
    this.share.lease.start();
  }

  /** Whether this process is the one to poll now. */
  get polling(): boolean {
    return this.share.lease.held;
  }

  /** True once after the lease came here: the trigger is to be made afresh. */
  takeFresh(): boolean {
    const fresh = this.fresh;
    this.fresh = false;
    return fresh;
  }

  /** A failed poll that is none: the lease went to another process (which sends what it finds), or Redis went away (the status says so). */
  excuses(err: unknown): boolean {
    return err instanceof LeaseLostError || !this.share.reachable;
  }

  /**
   * Whether this process is the one to send `msg`: the first to claim its
   * eventId. The change is kept as seen already, so an outage of Redis here
   * is waited out, not given up.
   */
  mustSend(msg: TriggerMessage): Promise<boolean> {
    return this.share.claimWhenReachable(msg.eventId, this.life.signal, () => this.life.status.noted(this.t('status.paused')));
  }

  private onLease(state: LeaseState, pollNow: () => void): void {
    if (this.life.signal.aborted) return;
    if (state === 'held') {
      this.fresh = true;
      pollNow();
    } else this.life.status.noted(this.t(state === 'standby' ? 'status.standby' : 'status.paused'));
  }
}
