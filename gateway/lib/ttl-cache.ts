/** A small map whose entries expire; bounded so a flood of bad tokens cannot grow it. */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  get(key: string, now: number): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V, now: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expires: now + this.ttlMs });
  }

  /** Drops every entry whose value matches; used when a token or agent is revoked. */
  deleteWhere(pred: (v: V) => boolean): void {
    for (const [k, e] of this.entries) if (pred(e.value)) this.entries.delete(k);
  }
}
