/**
 * A project-local PostgreSQL + PostGIS cluster, used when DATABASE_URL is unset (npm start) and
 * by the test suite (a throw-away one). Data lives in a git-ignored folder under `.data/`, the
 * server listens on 127.0.0.1 only (no Unix socket), on a port of its own that is remembered
 * and reused, and access needs a generated password kept beside the data.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../paths.js';
import { DEFAULT_APP_ROLE, ensureAppLoginRole } from '../db/roles.js';

export interface LocalCluster {
  dataDir: string;
  port: number;
  /** The owner role's connection string (migrations, maintenance, CLIs). */
  connectionString: string;
  /** Connection string for another database on the same cluster, as the owner role. */
  urlFor(database: string): string;
  /** The app role's connection string: what the server serves requests with. */
  appConnectionString: string;
  /** Connection string for another database on the same cluster, as the app role. */
  appUrlFor(database: string): string;
  /** Whether this call started the server (false: it was already running). */
  startedHere: boolean;
  stop(): void;
}

export interface Binaries {
  binDir: string;
  majorVersion: string;
}

const USER = 'wangge';

/** Finds PostgreSQL server binaries whose installation also has PostGIS. */
export function findBinaries(): Binaries | { missing: string; installCommand: string } {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const binDir = path.join(root, version, 'bin');
    const hasServer = fs.existsSync(path.join(binDir, 'postgres')) && fs.existsSync(path.join(binDir, 'initdb'));
    const hasPostgis = fs.existsSync(`/usr/share/postgresql/${version}/extension/postgis.control`);
    if (hasServer && hasPostgis) return { binDir, majorVersion: version };
  }
  const version = versions[0];
  const packages = version ? `postgresql-${version}-postgis-3` : 'postgresql postgis';
  return {
    missing: version ? `PostGIS for PostgreSQL ${version}` : 'PostgreSQL and PostGIS',
    installCommand: `apt-get update && apt-get install -y ${packages}`,
  };
}

/** Installs PostgreSQL + PostGIS from Debian/Ubuntu packages when running as root; else explains. */
export function ensurePostgisInstalled(log: (line: string) => void): Binaries {
  let found = findBinaries();
  if ('binDir' in found) {
    ensurePgroutingInstalled(found, log);
    return found;
  }
  const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new Error(
      `${found.missing} is not installed. Run as root:\n\n    ${found.installCommand}\n\n` +
        'or set DATABASE_URL to an existing PostGIS (≥ 3.1) database.',
    );
  }
  log(`Installing ${found.missing}: ${found.installCommand}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  // postgresql-common picks the distribution's default major version; install it first, then
  // the PostGIS package that matches the version actually installed.
  if (!fs.existsSync('/usr/lib/postgresql')) {
    execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env });
  }
  found = findBinaries();
  if (!('binDir' in found)) {
    const version = fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort().pop();
    execFileSync('apt-get', ['install', '-y', '-qq', `postgresql-${version}-postgis-3`], { stdio: 'inherit', env });
    found = findBinaries();
  }
  if (!('binDir' in found)) throw new Error(`Could not install ${found.missing}: run ${found.installCommand}`);
  ensurePgroutingInstalled(found, log);
  return found;
}

/**
 * pgRouting (Debian's postgresql-<major>-pgrouting) for the walking network. Installed like PostGIS
 * when running as root; otherwise a clear message and the app keeps straight-line distances.
 */
export function ensurePgroutingInstalled(binaries: Binaries, log: (line: string) => void): boolean {
  const pkg = `postgresql-${binaries.majorVersion}-pgrouting`;
  if (fs.existsSync(`/usr/share/postgresql/${binaries.majorVersion}/extension/pgrouting.control`)) return true;
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
    log(`pgRouting not installed: run as root  apt-get install -y ${pkg}  (walking distances stay straight-line until then)`);
    return false;
  }
  log(`Installing pgRouting: apt-get install -y ${pkg}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
  }
  return fs.existsSync(`/usr/share/postgresql/${binaries.majorVersion}/extension/pgrouting.control`);
}

/** PostgreSQL refuses to run as root: as root, run its programs as the 'postgres' system user. */
function runAsOwner(): string[] {
  if (process.getuid?.() !== 0) return [];
  return ['runuser', '-u', 'postgres', '--'];
}

function pgRun(binaries: Binaries, program: string, args: string[], options: { allowFail?: boolean } = {}) {
  const prefix = runAsOwner();
  const command = [...prefix, path.join(binaries.binDir, program), ...args];
  const result = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8' });
  if (result.status !== 0 && !options.allowFail) {
    throw new Error(`${program} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort(preferred: number): Promise<number> {
  if (await portIsFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : preferred;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The folder the cluster lives in: `.data/<name>` in the project, unless the 'postgres' user
 * (as which the server runs when we are root) cannot reach it; then a folder in the OS temp dir.
 */
function chooseDataDir(name: string): string {
  const inProject = path.join(repoRoot, '.data', name);
  if (process.getuid?.() !== 0) return inProject;
  fs.mkdirSync(path.dirname(inProject), { recursive: true });
  const reachable = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', path.dirname(inProject)]).status === 0;
  if (reachable) return inProject;
  const hash = crypto.createHash('sha256').update(inProject).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `wangge-${name}-${hash}`);
}

export interface StartOptions {
  /** Folder name under .data/ (e.g. 'pg', 'pg-test'). */
  name: string;
  preferredPort: number;
  log?: (line: string) => void;
  /**
   * Whether committed data must survive a crash or power cut (PostgreSQL's defaults: fsync,
   * synchronous_commit and full_page_writes on). True unless said otherwise: only the test
   * suite's throw-away clusters turn it off, for speed.
   */
  durable?: boolean;
  /** Extensions loaded at server start (`shared_preload_libraries`), e.g. ['citus']. */
  preloadLibraries?: string[];
  /**
   * The two roles' passwords, for a new cluster. Unset: generated. The nodes of a Citus cluster
   * share theirs, so that the coordinator reaches every worker with one authinfo per role.
   */
  passwords?: { owner: string; app: string };
}

/** Server settings of a cluster: durable ones keep PostgreSQL's defaults. */
export function serverSettings(options: { port: number; durable: boolean; preloadLibraries?: string[] }): string {
  return [
    ...(options.preloadLibraries?.length ? [`-c shared_preload_libraries=${options.preloadLibraries.join(',')}`] : []),
    `-p ${options.port}`,
    "-c listen_addresses=127.0.0.1",
    "-c unix_socket_directories=''",
    ...(options.durable ? [] : ['-c fsync=off -c synchronous_commit=off -c full_page_writes=off']),
    '-c max_connections=200 -c shared_buffers=256MB -c work_mem=32MB',
  ].join(' ');
}

/** Creates (first time) and starts the cluster; reuses a running one. Idempotent. */
export async function startLocalCluster(options: StartOptions): Promise<LocalCluster> {
  const log = options.log ?? (() => {});
  const durable = options.durable ?? true;
  const binaries = ensurePostgisInstalled(log);
  const dataDir = chooseDataDir(options.name);
  const stateFile = `${dataDir}.json`; // beside the data folder, owned by us, not by postgres
  const owner = process.getuid?.() === 0 ? 'postgres' : null;

  let state: { port: number; password: string; appPassword?: string } | null = null;
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION')) && fs.existsSync(stateFile)) {
    state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } else {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const password = options.passwords?.owner ?? crypto.randomBytes(18).toString('base64url');
    const pwFile = path.join(dataDir, '..', `.${options.name}-pw-${process.pid}`);
    fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o644 });
    if (owner) execFileSync('chown', ['-R', owner, dataDir]);
    log(`Creating a local PostgreSQL ${binaries.majorVersion} cluster in ${path.relative(repoRoot, dataDir) || dataDir}`);
    try {
      pgRun(binaries, 'initdb', [
        '-D', dataDir, '-U', USER, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C',
        ...(durable ? [] : ['--no-sync']),
      ]);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
    state = {
      port: await freePort(options.preferredPort),
      password,
      appPassword: options.passwords?.app ?? crypto.randomBytes(18).toString('base64url'),
    };
    fs.writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  }
  if (!state!.appPassword) {
    // A cluster made before the app role existed.
    state!.appPassword = crypto.randomBytes(18).toString('base64url');
    fs.writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  }

  const status = pgRun(binaries, 'pg_ctl', ['status', '-D', dataDir], { allowFail: true });
  const startedHere = status.status !== 0;
  if (startedHere) {
    if (!(await portIsFree(state!.port))) {
      state!.port = await freePort(state!.port + 1);
      fs.writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
    }
    const serverOptions = serverSettings({ port: state!.port, durable, preloadLibraries: options.preloadLibraries });
    pgRun(binaries, 'pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', path.join(dataDir, 'server.log'), '-o', serverOptions]);
    log(`Local PostgreSQL listening on 127.0.0.1:${state!.port}`);
  }

  const base = `postgres://${USER}:${encodeURIComponent(state!.password)}@127.0.0.1:${state!.port}`;
  const appBase = `postgres://${DEFAULT_APP_ROLE}:${encodeURIComponent(state!.appPassword!)}@127.0.0.1:${state!.port}`;
  await ensureDatabase(base, 'wangge', state!.appPassword!);
  return {
    dataDir,
    port: state!.port,
    connectionString: `${base}/wangge`,
    urlFor: (database: string) => `${base}/${database}`,
    appConnectionString: `${appBase}/wangge`,
    appUrlFor: (database: string) => `${appBase}/${database}`,
    startedHere,
    stop: () => {
      pgRun(binaries, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'], { allowFail: true });
    },
  };
}

/** Deletes a cluster's files (after stop): for throw-away test clusters. */
export function removeLocalCluster(cluster: LocalCluster): void {
  fs.rmSync(cluster.dataDir, { recursive: true, force: true });
  fs.rmSync(`${cluster.dataDir}.json`, { force: true });
}

/**
 * The database, and the two roles: the bootstrap superuser 'wangge' owns everything and runs
 * migrations; the app role serves requests with only the grants the migration runner gives it.
 */
async function ensureDatabase(base: string, database: string, appPassword: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
    await ensureAppLoginRole(client, DEFAULT_APP_ROLE, appPassword);
  } finally {
    await client.end();
  }
}
