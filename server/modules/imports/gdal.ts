/**
 * GDAL's command-line tools (Debian's gdal-bin) are the one way Wangge reads vector files.
 * They are run with execFile (never a shell), a timeout and bounded output, and their messages
 * are cleaned of the temporary paths before they reach a user. Like PostGIS
 * (server/local-postgres/cluster.ts), gdal-bin is installed on Debian when running as root,
 * and otherwise named in a message with the one command that installs it.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { badRequest, refuse } from '../../shared/errors.js';

export const GDAL_INSTALL_COMMAND = 'apt-get update && apt-get install -y gdal-bin';

/** Where the tools live; PATH is searched too, for other installations. */
const SEARCH_DIRS = ['/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(':').filter(Boolean)];

function findTool(name: string): string | null {
  for (const dir of SEARCH_DIRS) {
    const candidate = `${dir}/${name}`;
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

let tools: { ogr2ogr: string; ogrinfo: string; gdalsrsinfo?: string } | null = null;

/**
 * Finds ogr2ogr and ogrinfo, installing gdal-bin first when they are missing and this process
 * may (root on Debian/Ubuntu). Throws a message with the install command otherwise.
 */
export function ensureGdalInstalled(log: (line: string) => void = () => {}): { ogr2ogr: string; ogrinfo: string } {
  if (tools) return tools;
  let ogr2ogr = findTool('ogr2ogr');
  let ogrinfo = findTool('ogrinfo');
  if (!ogr2ogr || !ogrinfo) {
    const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
    if (!canInstall) {
      throw new Error(`GDAL (ogr2ogr, ogrinfo) is not installed; Wangge reads imported files with it. Run as root:\n\n    ${GDAL_INSTALL_COMMAND}\n`);
    }
    log(`Installing GDAL: ${GDAL_INSTALL_COMMAND}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'gdal-bin'], { stdio: 'inherit', env });
    ogr2ogr = findTool('ogr2ogr');
    ogrinfo = findTool('ogrinfo');
    if (!ogr2ogr || !ogrinfo) throw new Error(`Could not install GDAL: run ${GDAL_INSTALL_COMMAND}`);
  }
  tools = { ogr2ogr, ogrinfo };
  return tools;
}

/**
 * The tools for a request. Installing is for start-up (`npm start`, the CLI): a request never
 * waits minutes for apt-get; a missing GDAL is the server's problem, said plainly (503).
 */
function gdalForRequest() {
  if (tools) return tools;
  const ogr2ogr = findTool('ogr2ogr');
  const ogrinfo = findTool('ogrinfo');
  if (!ogr2ogr || !ogrinfo) throw refuse(503, 'imports.noGdal', { command: GDAL_INSTALL_COMMAND });
  tools = { ogr2ogr, ogrinfo };
  return tools;
}

export interface GdalRun {
  stdout: string;
  stderr: string;
}

export const GDAL_TIMEOUT_MS = 120_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Runs ogr2ogr or ogrinfo. A failure becomes a 400 naming the file and what GDAL said, with
 * `hide` (the temporary directory) replaced by nothing so no server path is shown.
 */
export function runGdal(tool: 'ogr2ogr' | 'ogrinfo' | 'gdalsrsinfo', args: string[], context: { fileName: string; hide: string; config?: Record<string, string> }): Promise<GdalRun> {
  const found = gdalForRequest();
  // gdalsrsinfo comes with the same package; looked up on first use.
  if (tool === 'gdalsrsinfo') found.gdalsrsinfo ??= findTool('gdalsrsinfo') ?? undefined;
  const binary = found[tool];
  if (!binary) throw refuse(503, 'imports.noGdalTool', { tool, command: GDAL_INSTALL_COMMAND });
  const configArgs = Object.entries(context.config ?? {}).flatMap(([k, v]) => ['--config', k, v]);
  return new Promise((resolve, reject) => {
    execFile(binary, [...configArgs, ...args], {
      timeout: GDAL_TIMEOUT_MS,
      maxBuffer: MAX_OUTPUT_BYTES,
      encoding: 'utf8',
      // No user configuration, no network: files only.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GDAL_HTTP_TIMEOUT: '1', CPL_VSIL_CURL_ALLOWED_EXTENSIONS: '.none' },
    }, (error, stdout, stderr) => {
      if (!error) {
        resolve({ stdout, stderr });
        return;
      }
      const killed = (error as NodeJS.ErrnoException & { killed?: boolean }).killed;
      if (killed) {
        reject(badRequest('imports.gdalTimeout', { file: context.fileName, seconds: GDAL_TIMEOUT_MS / 1000 }));
        return;
      }
      reject(badRequest('imports.gdalFailed', { file: context.fileName, detail: gdalMessage(stderr || error.message, context.hide, context.fileName) }));
    });
  });
}

/** GDAL's error lines, without temporary paths, the "ERROR n:" prefixes and the driver list. */
export function gdalMessage(stderr: string, hide: string, fileName: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('->') && !/^FAILURE:?$/.test(l) && !/^Warning \d+:/.test(l))
    .map((l) => l.replace(/^ERROR \d+:\s*/, ''));
  const text = (lines.length ? lines.slice(0, 3).join('; ') : 'GDAL could not read it')
    .split(hide + '/').join('')
    .split(hide).join(fileName)
    .replace(/\/vsi\w+\//g, '');
  return `could not be read (${text.length > 400 ? `${text.slice(0, 400)}…` : text})`;
}
