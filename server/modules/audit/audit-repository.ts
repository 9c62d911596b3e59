import { AsyncLocalStorage } from 'node:async_hooks';
import type { Queryable } from '../../db/pool.js';

/**
 * Per request: whether a route already wrote its own failure row, so that the app's audit of
 * refused writes (refused-writes.ts) does not write a second one.
 */
export const requestAudit = new AsyncLocalStorage<{ failureRecorded: boolean }>();

export interface AuditEntry {
  actorUserId: number | null;
  actorUsername: string | null;
  /** Dotted verb, e.g. 'auth.login', 'grid.update', 'incident.unmask'. */
  action: string;
  targetType?: string;
  targetId?: string | number;
  ip: string | null;
  success: boolean;
  /** Context without personal data: never names, phones or ID numbers. */
  detail?: Record<string, unknown>;
}

/** The append-only audit log. Pass a transaction client to record a write in the same transaction. */
export function createAuditRepository(db: Queryable) {
  return {
    async record(entry: AuditEntry, client: Queryable = db): Promise<void> {
      if (!entry.success) {
        const scope = requestAudit.getStore();
        if (scope) scope.failureRecorded = true;
      }
      await client.query(
        `INSERT INTO audit_log (actor_user_id, actor_username, action, target_type, target_id, ip, success, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          entry.actorUserId,
          entry.actorUsername,
          entry.action,
          entry.targetType ?? null,
          entry.targetId === undefined ? null : String(entry.targetId),
          entry.ip,
          entry.success,
          JSON.stringify(entry.detail ?? {}),
        ],
      );
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
