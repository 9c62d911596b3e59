/**
 * A project-local Citus cluster for development and the distributed-mode tests: a coordinator
 * and two workers, three PostgreSQL instances on 127.0.0.1 started the way the single local
 * cluster is (cluster.ts), each with Citus preloaded and PostGIS. The nodes share the two roles'
 * passwords, which the coordinator holds in pg_dist_authinfo to reach the workers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '../paths.js';
import { DEFAULT_APP_ROLE } from '../db/roles.js';
import { ensurePostgisInstalled, removeLocalCluster, startLocalCluster, type LocalCluster } from './cluster.js';
import { installedCitusVersion } from './citus-install.js';

export interface CitusCluster {
  coordinator: LocalCluster;
  workers: LocalCluster[];
  /** Creates a database on every node with PostGIS and Citus, workers registered. */
  createDatabase(name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): void;
  remove(): void;
}

/** Why the distributed mode cannot run here, or null when Citus is installed. */
export function citusUnavailableReason(): string | null {
  const binaries = ensurePostgisInstalled(() => {});
  if (installedCitusVersion(binaries)) return null;
  return `Citus is not installed for PostgreSQL ${binaries.majorVersion}: build it with  npm run citus:install -- --source PATH  (PATH holding citus-<version>.tar.gz)`;
}

export async function startCitusCluster(options: {
  name: string;
  preferredPort: number;
  workers?: number;
  durable?: boolean;
  log?: (line: string) => void;
}): Promise<CitusCluster> {
  const reason = citusUnavailableReason();
  if (reason) throw new Error(reason);
  const secretsFile = path.join(repoRoot, '.data', `${options.name}-secrets.json`);
  fs.mkdirSync(path.dirname(secretsFile), { recursive: true });
  if (!fs.existsSync(secretsFile)) {
    const secrets = { owner: crypto.randomBytes(18).toString('base64url'), app: crypto.randomBytes(18).toString('base64url') };
    fs.writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  }
  const passwords = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as { owner: string; app: string };
  const common = { durable: options.durable, preloadLibraries: ['citus'], passwords, log: options.log };
  const coordinator = await startLocalCluster({ ...common, name: `${options.name}-coordinator`, preferredPort: options.preferredPort });
  const workers: LocalCluster[] = [];
  for (let i = 1; i <= (options.workers ?? 2); i += 1) {
    workers.push(await startLocalCluster({ ...common, name: `${options.name}-worker${i}`, preferredPort: options.preferredPort + i }));
  }
  const nodes = [coordinator, ...workers];

  const onNode = async <T>(node: LocalCluster, database: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: node.urlFor(database) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  const createDatabase = async (name: string) => {
    for (const node of nodes) {
      await onNode(node, 'postgres', async (client) => {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      });
      await onNode(node, name, async (client) => {
        await client.query('CREATE EXTENSION IF NOT EXISTS citus');
        await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
      });
    }
    // Every node holds the passwords: the coordinator reaches the workers, and a worker reaches the
    // others (repartition joins fetch intermediate results from node to node).
    for (const node of nodes) {
      await onNode(node, name, async (client) => {
        for (const role of ['wangge', DEFAULT_APP_ROLE]) {
          const password = role === 'wangge' ? passwords.owner : passwords.app;
          await client.query('DELETE FROM pg_dist_authinfo WHERE nodeid = 0 AND rolename = $1', [role]);
          await client.query('INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, $1, $2)', [role, `password=${password}`]);
        }
      });
    }
    await onNode(coordinator, name, async (client) => {
      await client.query("SELECT citus_set_coordinator_host('127.0.0.1', $1)", [coordinator.port]);
      for (const worker of workers) {
        const known = await client.query('SELECT 1 FROM pg_dist_node WHERE nodeport = $1', [worker.port]);
        if (known.rowCount === 0) await client.query("SELECT citus_add_node('127.0.0.1', $1)", [worker.port]);
      }
    });
  };

  const dropDatabase = async (name: string) => {
    for (const node of nodes) {
      await onNode(node, 'postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    }
  };

  return {
    coordinator,
    workers,
    createDatabase,
    dropDatabase,
    stop: () => {
      for (const node of [...workers].reverse()) node.stop();
      coordinator.stop();
    },
    remove: () => {
      for (const node of nodes) removeLocalCluster(node);
      fs.rmSync(secretsFile, { force: true });
    },
  };
}
