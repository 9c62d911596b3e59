/**
 * Builds Citus from a source folder (a release tarball, plus any `*.patch` beside it) and
 * installs it into the PostgreSQL that the local clusters use. Citus is not in Debian's
 * packages; a real deployment installs it from Citus's own packages (docs/SCALE.md). This is for
 * the development and test cluster: `npm run citus:install -- --source PATH`.
 *
 * The build is cached under `.data/citus-build/<release>-pg<major>`: a second run only
 * re-installs (or does nothing when the installed extension is already that release).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths.js';
import { ensurePostgisInstalled, type Binaries } from './cluster.js';

/**
 * Debian packages the build needs. Built `--without-libcurl`: libcurl only serves Citus's optional
 * usage statistics, which an intranet install must not send anyway.
 */
export function citusBuildPackages(majorVersion: string): string[] {
  return [
    `postgresql-server-dev-${majorVersion}`,
    'liblz4-dev',
    'libzstd-dev',
    'build-essential',
  ];
}

/** The Citus release an installed PostgreSQL has, from its extension control file; null when none. */
export function installedCitusVersion(binaries: Binaries): string | null {
  const control = `/usr/share/postgresql/${binaries.majorVersion}/extension/citus.control`;
  if (!fs.existsSync(control)) return null;
  const match = /default_version\s*=\s*'([^']+)'/.exec(fs.readFileSync(control, 'utf8'));
  return match?.[1] ?? 'unknown';
}

function missingPackages(packages: string[]): string[] {
  return packages.filter((pkg) => {
    const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return status.status !== 0 || !status.stdout.includes('install ok installed');
  });
}

function ensureBuildPackages(binaries: Binaries, log: (line: string) => void): void {
  const missing = missingPackages(citusBuildPackages(binaries.majorVersion));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`Building Citus needs: ${missing.join(' ')}. Run as root:\n\n    apt-get install -y ${missing.join(' ')}\n`);
  }
  log(`Installing the Citus build dependencies: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  }
}

/** The release tarball in a source folder: `citus-<version>.tar.gz`. */
export function findCitusSource(sourceDir: string): { tarball: string; release: string; patches: string[] } {
  if (!fs.existsSync(sourceDir)) throw new Error(`Citus source folder not found: ${sourceDir}`);
  const files = fs.readdirSync(sourceDir);
  const tarball = files.find((name) => /^citus-\d+\.\d+\.\d+\.tar\.gz$/.test(name));
  if (!tarball) throw new Error(`No citus-<version>.tar.gz in ${sourceDir}`);
  const release = /^citus-(\d+\.\d+\.\d+)\.tar\.gz$/.exec(tarball)![1]!;
  const patches = files.filter((name) => name.endsWith('.patch')).sort().map((name) => path.join(sourceDir, name));
  return { tarball: path.join(sourceDir, tarball), release, patches };
}

function run(command: string, args: string[], cwd: string, log: (line: string) => void): void {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${output}`);
  }
}

/**
 * Applies a patch unless it is already applied or does not apply to this PostgreSQL's headers
 * (a patch for a newer minor release is not needed by an older one): decided by `patch --dry-run`.
 */
function applyPatch(patchFile: string, cwd: string, log: (line: string) => void): void {
  const reverse = spawnSync('patch', ['-p1', '-R', '--dry-run', '-s', '-f', '-i', patchFile], { cwd });
  if (reverse.status === 0) return; // already applied
  run('patch', ['-p1', '-s', '-f', '-i', patchFile], cwd, log);
}

export interface InstallResult {
  release: string;
  built: boolean;
  installed: boolean;
}

export function installCitus(sourceDir: string, log: (line: string) => void = console.log): InstallResult {
  const { tarball, release, patches } = findCitusSource(path.resolve(sourceDir));
  const binaries = ensurePostgisInstalled(log);
  if (installedCitusVersion(binaries)?.startsWith(release.split('.').slice(0, 2).join('.')) &&
      fs.existsSync(path.join(binaries.binDir, '..', 'lib', 'citus.so'))) {
    log(`Citus ${release} is already installed for PostgreSQL ${binaries.majorVersion}.`);
    return { release, built: false, installed: false };
  }
  ensureBuildPackages(binaries, log);
  const pgConfig = path.join(binaries.binDir, 'pg_config');
  const pgConfigArg = fs.existsSync(pgConfig) ? pgConfig : 'pg_config';
  const buildRoot = path.join(repoRoot, '.data', 'citus-build', `${release}-pg${binaries.majorVersion}`);
  const tree = path.join(buildRoot, `citus-${release}`);
  const stamp = path.join(buildRoot, 'built');
  let built = false;
  if (!fs.existsSync(stamp)) {
    fs.rmSync(buildRoot, { recursive: true, force: true });
    fs.mkdirSync(buildRoot, { recursive: true });
    run('tar', ['xzf', tarball, '-C', buildRoot], buildRoot, log);
    if (!fs.existsSync(tree)) throw new Error(`${path.basename(tarball)} did not unpack into citus-${release}/`);
    for (const patch of patches) applyPatch(patch, tree, log);
    run('./configure', [`PG_CONFIG=${pgConfigArg}`, '--without-libcurl'], tree, log);
    const jobs = String(Math.max(1, Math.min(4, (globalThis.navigator?.hardwareConcurrency ?? 2))));
    run('make', [`-j${jobs}`], tree, log);
    fs.writeFileSync(stamp, new Date().toISOString());
    built = true;
  } else {
    log(`Using the cached Citus ${release} build in ${path.relative(repoRoot, buildRoot)}`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`Citus ${release} is built; installing it into PostgreSQL needs root:\n\n    sudo make -C ${tree} install\n`);
  }
  run('make', ['install'], tree, log);
  return { release, built, installed: true };
}
