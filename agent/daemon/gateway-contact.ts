/**
 * Since when this agent has been in uninterrupted contact with the gateway. The gateway judges
 * agents stale or lost by the age of their last heartbeat; after an outage (or a partition of
 * this agent) every agent looks stale to it until it reconnects, so the lease holder acts on
 * those verdicts only once it has itself been in contact for the stale threshold — long enough
 * for every live agent to have been heard again (scheduling.ts). The gateway client records
 * every answer and every failure here.
 */

export class GatewayContact {
  private since: number | undefined;
  private failures = 0;

  constructor(private readonly now: () => number) {}

  /** A request goes out; hand the token to `answered`. */
  begin(): number {
    return this.failures;
  }

  /**
   * The gateway answered a request begun with `token`. It starts a period of contact only if no
   * failure was seen since that request went out (an answer to a request sent before an outage
   * says nothing about after it).
   */
  answered(token: number): void {
    if (this.since === undefined && token === this.failures) this.since = this.now();
  }

  /** The gateway could not be reached (or answered that it could not serve): contact is broken. */
  failed(): void {
    this.since = undefined;
    this.failures++;
  }

  /** How long contact has lasted without a break, ms (0 while there is none). */
  uninterruptedMs(): number {
    return this.since === undefined ? 0 : Math.max(0, this.now() - this.since);
  }
}
