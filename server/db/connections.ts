/**
 * Which database Wangge uses, and as which roles: the project-local cluster (its owner role and
 * its app role) when DATABASE_URL is unset; otherwise DATABASE_URL to serve with and, when set,
 * DATABASE_OWNER_URL to migrate and maintain with. Both `npm start` and the command-line tools
 * come through here.
 */
import type pg from 'pg';
import type { Config } from '../config.js';
import { startLocalCluster, type LocalCluster } from '../local-postgres/cluster.js';
import { databaseVersion, latestMigrationVersion, migrate } from './migrate.js';
import type { DistributedMode } from './citus-preflight.js';
import { DEFAULT_APP_ROLE, ensureAppLoginRole, passwordOf, roleExists, servingRoleProblems, userOf } from './roles.js';

export interface DatabaseConnections {
  /** The owner role's connection string; null when the deployment gave only DATABASE_URL. */
  ownerUrl: string | null;
  /** The connection string the app serves requests with. */
  appUrl: string;
  /** The app role's name (granted its privileges at every migrate), or null when unknown. */
  appRole: string | null;
  /** WANGGE_DISTRIBUTED: the database must be a ready Citus coordinator. */
  distributed?: DistributedMode | null;
  /** The local cluster, when Wangge runs its own. */
  cluster: LocalCluster | null;
}

/** How `npm start` and the tools start the project-local cluster that holds a bureau's data (durable). */
export const SERVED_CLUSTER = { name: 'pg', preferredPort: 54329 } as const;

export async function resolveConnections(config: Config, log: (line: string) => void = () => {}): Promise<DatabaseConnections> {
  if (!config.DATABASE_URL) {
    const cluster = await startLocalCluster({ ...SERVED_CLUSTER, log });
    return { ownerUrl: cluster.connectionString, appUrl: cluster.appConnectionString, appRole: DEFAULT_APP_ROLE, cluster };
  }
  const distributed = config.WANGGE_DISTRIBUTED ?? null;
  if (!config.DATABASE_OWNER_URL) return { ownerUrl: null, appUrl: config.DATABASE_URL, appRole: null, cluster: null, distributed };
  const appRole = userOf(config.DATABASE_URL);
  if (!appRole) throw new Error('DATABASE_URL names no user: give the app role, e.g. postgres://wangge_app:PASSWORD@host/wangge');
  if (appRole === userOf(config.DATABASE_OWNER_URL)) {
    throw new Error(`DATABASE_URL and DATABASE_OWNER_URL both connect as ${appRole}: the app must serve as a role of its own (e.g. ${DEFAULT_APP_ROLE})`);
  }
  return { ownerUrl: config.DATABASE_OWNER_URL, appUrl: config.DATABASE_URL, appRole, cluster: null, distributed };
}

/**
 * As the owner: creates the app role when it does not exist yet (with DATABASE_URL's password;
 * the owner must be allowed to create roles), applies pending migrations and grants.
 */
export async function migrateAsOwner(ownerPool: pg.Pool, connections: DatabaseConnections): Promise<string[]> {
  const role = connections.appRole;
  if (role && !(await roleExists(ownerPool, role))) {
    const password = passwordOf(connections.appUrl);
    if (!password) throw new Error(`the app role ${role} does not exist and DATABASE_URL gives no password to create it with`);
    try {
      await ensureAppLoginRole(ownerPool, role, password);
    } catch (error) {
      throw new Error(`the app role ${role} does not exist and the owner role cannot create it (${(error as Error).message}); create it: CREATE ROLE ${role} LOGIN PASSWORD '…'`);
    }
  }
  const { applied } = await migrate(ownerPool, { appRole: role, distributed: connections.distributed });
  return applied;
}

/**
 * Refuses to serve with a role that could rewrite the audit log (superuser, the tables' owner,
 * UPDATE/DELETE/TRUNCATE on audit_log, CREATE on schema public), or on a database whose schema
 * is behind this version of Wangge.
 */
export async function assertServingRole(appPool: pg.Pool, connections: DatabaseConnections): Promise<void> {
  const version = await databaseVersion(appPool);
  const latest = latestMigrationVersion();
  if (version < latest) {
    throw new Error(
      `the database is at migration ${version}, this Wangge needs ${latest}: set DATABASE_OWNER_URL (the tables' owner) so that Wangge migrates at start, or run npm run migrate with it`,
    );
  }
  const problems = await servingRoleProblems(appPool);
  if (problems.length === 0) return;
  const how = connections.ownerUrl
    ? `DATABASE_URL must connect as a plain role of its own (e.g. ${DEFAULT_APP_ROLE}), not the owner`
    : `set DATABASE_OWNER_URL to this connection string (Wangge migrates with it and creates the app role) and DATABASE_URL to a plain role, e.g. postgres://${DEFAULT_APP_ROLE}:NEW-PASSWORD@host/database`;
  throw new Error(`refusing to serve as a role that could rewrite the audit log: ${problems.join('; ')}. ${how}. See docs/SECURITY.md.`);
}
