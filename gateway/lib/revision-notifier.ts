/**
 * In-process notifier of desired-state revisions, for long-polls on Node: a poll waiting for
 * a cluster's revision to pass N is woken the moment a change announces N+1. Waiters are kept
 * per cluster and removed on wake, timeout or abort, so a dropped connection leaks nothing.
 */
import type { RevisionNotifier } from "../deps.js";

export function createRevisionNotifier(): RevisionNotifier {
  const revisions = new Map<string, number>();
  const waiters = new Map<string, Set<(rev: number) => void>>();
  return {
    current: (clusterId) => revisions.get(clusterId),
    announce(clusterId, revision) {
      if ((revisions.get(clusterId) ?? 0) >= revision) return;
      revisions.set(clusterId, revision);
      const set = waiters.get(clusterId);
      if (!set) return;
      waiters.delete(clusterId);
      for (const wake of set) wake(revision);
    },
    wait(clusterId, after, ms, signal) {
      const known = revisions.get(clusterId);
      if (known !== undefined && known > after) return Promise.resolve(known);
      return new Promise((resolve) => {
        let set = waiters.get(clusterId);
        if (!set) {
          set = new Set();
          waiters.set(clusterId, set);
        }
        const done = (rev: number | undefined) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          waiters.get(clusterId)?.delete(wake);
          resolve(rev);
        };
        const wake = (rev: number) => {
          if (rev > after) done(rev);
        };
        const onAbort = () => done(undefined);
        const timer = setTimeout(() => done(undefined), ms);
        signal?.addEventListener("abort", onAbort, { once: true });
        set.add(wake);
      });
    },
  };
}
