// What the master remembers about offers beyond the allocator's outstanding set: why an offer
// id is no longer valid (accepted, declined, rescinded, timed out), so that a late ACCEPT gets a
// clear answer instead of "unknown". Bounded: the oldest reasons are forgotten first.
import type { Allocator, Offer } from '../allocator';
import type { OfferLookup } from './accept-validation';

export const OFFER_REASONS_REMEMBERED_MAX = 10_000;

export class OfferBook {
  private readonly spent = new Map<string, string>();

  constructor(private readonly allocator: Allocator) {}

  /** The offer as ACCEPT validation sees it. */
  lookup(offerId: string): OfferLookup {
    const offer: Offer | undefined = this.allocator.offer(offerId);
    if (offer) return { kind: 'outstanding', frameworkId: offer.frameworkId, agentId: offer.agentId, resources: offer.resources };
    const why = this.spent.get(offerId);
    return why === undefined ? { kind: 'unknown' } : { kind: 'rescinded', why };
  }

  /** The offer id is no longer outstanding, for this reason. */
  remember(offerId: string, why: string): void {
    this.spent.delete(offerId);
    this.spent.set(offerId, why);
    if (this.spent.size > OFFER_REASONS_REMEMBERED_MAX) this.spent.delete(this.spent.keys().next().value as string);
  }
}
