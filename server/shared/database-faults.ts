/**
 * Which database failures are an outage rather than a bug: the database unreachable (the app's
 * own connection), or, in the distributed mode, one Citus node (a worker) down while the
 * coordinator answers. Both are answered 503 with Retry-After, a catalogue code and no internals;
 * the app recovers by itself when the node returns (Citus opens new connections to it, the pool
 * replaces broken ones).
 */

/** Connection failures and server shutdowns, from node-postgres (E…) or from PostgreSQL (SQLSTATE). */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08006', '08001', '08003', '08004']);

export type DatabaseFault = 'database' | 'node';

interface PgLikeError {
  code?: string;
  message?: string;
  /** PostgreSQL's CONTEXT: Citus says there on which node a remote command failed. */
  where?: string;
}

/**
 * 'node' when the coordinator reports that it could not reach, or lost, a worker: Citus raises
 * 08006 "connection to the remote node … failed" when it cannot connect, and relays the worker's
 * own error (57P01 "terminating connection due to administrator command") with the context
 * "while executing command on host:port" when the worker stops during a query. 'database' for
 * any other connection failure; null for everything else.
 */
export function databaseFault(error: PgLikeError): DatabaseFault | null {
  // node-postgres's own word for a connection the server closed under a query (a restart, a
  // restore ending the sessions): no SQLSTATE, only its message.
  if (!error.code && /^Connection terminated( unexpectedly| due to connection timeout)?$/.test(error.message ?? '')) return 'database';
  if (!error.code || !UNAVAILABLE.has(error.code)) return null;
  const remote = /\bremote node\b|\bconnection to the node\b|\bconnections to the node\b/i.test(error.message ?? '') ||
    /while executing command on /i.test(error.where ?? '');
  return remote ? 'node' : 'database';
}
