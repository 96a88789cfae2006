/**
 * The audit log: every change is recorded with who made it, what and when. Services add the
 * insert to the same db.batch() as the change itself, so neither lands without the other.
 */
import { actorOf, type Principal } from "../auth/principal.js";
import { newId } from "../auth/secrets.js";
import { auditLog } from "../db/schema.js";
import type { Db } from "../deps.js";

export interface AuditEntry {
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

export const auditStatement = (db: Db, principal: Principal, at: number, entry: AuditEntry) =>
  db.insert(auditLog).values({
    id: newId("aud_"),
    at,
    actor: actorOf(principal),
    action: entry.action,
    target: entry.target,
    details: entry.details ?? {},
  });
