/**
 * Which database failures are a Citus worker down (503 database.nodeUnavailable), which the database
 * itself (503 server.databaseUnavailable), and which neither: the error shapes PostgreSQL and Citus 13
 * actually raise (recorded from a local cluster; tests/api/citus-operations.test.ts sees them live).
 */
import { describe, expect, it } from 'vitest';
import { databaseFault } from '../../server/shared/database-faults.js';

describe('database faults', () => {
  it('a worker refused or lost while the coordinator answers: a node', () => {
    expect(databaseFault({
      code: '08006',
      message: 'connection to the remote node wangge@127.0.0.1:55602 failed with the following error: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?',
    })).toBe('node');
    expect(databaseFault({ code: '08006', message: 'connection to the remote node wangge@127.0.0.1:55602 failed with the following error: connection not open' })).toBe('node');
    // A worker stopped during a query: its own error, relayed with Citus's context.
    expect(databaseFault({ code: '57P01', message: 'terminating connection due to administrator command', where: 'while executing command on 127.0.0.1:55602' })).toBe('node');
  });

  it('the database the app connects to down: the database', () => {
    expect(databaseFault({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:54329' })).toBe('database');
    expect(databaseFault({ code: '57P01', message: 'terminating connection due to administrator command' })).toBe('database');
    expect(databaseFault({ code: '57P03', message: 'the database system is starting up' })).toBe('database');
    // node-postgres when the server closed a pooled connection under a query (no SQLSTATE).
    expect(databaseFault({ message: 'Connection terminated unexpectedly' })).toBe('database');
    expect(databaseFault({ message: 'Connection terminated due to connection timeout' })).toBe('database');
  });

  it('anything else is not an outage', () => {
    expect(databaseFault({ code: '23505', message: 'duplicate key value violates unique constraint', where: 'while executing command on 127.0.0.1:55602' })).toBeNull();
    expect(databaseFault({ message: 'Something else' })).toBeNull();
  });
});
