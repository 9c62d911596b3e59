/**
 * `npm run bench:web`: what a phone on 4G downloads and waits for, page by page, in a real
 * Chromium — this build against the base build, measured in the same run.
 *
 * - Network: Chromium's own throttling through the DevTools protocol
 *   (Network.emulateNetworkConditions): 9 Mbit/s down, 3 Mbit/s up, 150 ms round trip, applied
 *   to every request of the page. No CPU throttling unless `--cpu N` (the machine is shared and
 *   WebGL runs on SwiftShader, in software, already).
 * - Bytes: what the server wrote to its sockets over the visit (compressed bodies and headers, as
 *   sent), beside Chromium's own count (Network.loadingFinished encodedDataLength of the page and of
 *   its workers, which the bench attaches to) as a check. Everything the page asks for counts:
 *   scripts, styles, API answers, tiles, glyphs. The body sizes by kind are printed too.
 * - Map time, from navigation start: "first frame" is the first WebGL draw call on any canvas of
 *   the page (MapLibre's, deck.gl's), which may be an empty background; "map shown" is the first
 *   frame drawn after the first vector tile with content (200, or 304 from the cache) arrived — the
 *   first render of the map with data, the figure the targets are read against; "settled" is the
 *   last draw before the page has been still (no draw, no request) for 1.5 s: the map complete, its
 *   fades and fit-to-bounds animations done. Draws are counted by wrapping the WebGL draw calls in
 *   the page (an init script), the same for both builds, so no hook in the app is needed.
 * - Cold: a fresh browser context (empty cache), logged in through the API first when the page
 *   needs a role. Warm: a second visit of the same page in that context.
 *
 * The base build: `git archive <base>` of server/, web/ and vite.config.ts into
 * .data/bench-web/<base>/ (node_modules linked to this checkout's), built there with that
 * commit's own Vite config, and served by that commit's own server code (its buildApp, on the
 * same database). So the base is measured as it shipped: its bundle, its one-hour cache, no
 * compression. This checkout's web/dist is rebuilt first unless `--no-build`.
 *
 * Options: --base <commit> (default 161b76b), --pages /,/report (default all four),
 * --runs N (cold+warm pairs per page, median reported; default 1), --cpu N, --no-build,
 * --json <file>. BENCH_WEB_TRACE=1 prints every request the servers answer.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, CDPSession } from 'playwright-core';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { DEMO_ACCOUNTS } from '../server/demo/accounts.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { createGlyphService, GLYPH_FONTS } from '../server/modules/basemap/glyphs.js';
import type { Role } from '../server/modules/auth/roles.js';
import { repoRoot } from '../server/paths.js';
import { launchBrowser } from '../tests/helpers/browser.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: '161b76b' },
    pages: { type: 'string', default: '/,/report,/plan,/incidents' },
    runs: { type: 'string', default: '1' },
    cpu: { type: 'string', default: '1' },
    'no-build': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const runs = Math.max(1, Number(values.runs));
const cpuRate = Math.max(1, Number(values.cpu));
const PAGES: { path: string; role: Role | null }[] = [
  { path: '/', role: null },
  { path: '/report', role: 'grid_worker' as const },
  { path: '/plan', role: 'planner' as const },
  { path: '/incidents', role: 'analyst' as const },
].filter((p) => values.pages.split(',').includes(p.path));

const PROFILE = { offline: false, latency: 150, downloadThroughput: (9_000_000 / 8) | 0, uploadThroughput: (3_000_000 / 8) | 0 };
/** A phone-sized window (CSS pixels; device pixel ratio 1 to spare the software renderer). */
const VIEWPORT = { width: 412, height: 860 };
const QUIET_MS = 1500;
const TIMEOUT_MS = 45_000;

const log = (line: string) => console.log(line);
const vite = path.join(repoRoot, 'node_modules', '.bin', 'vite');

// --- The two builds ----------------------------------------------------------------------------
const baseCommit = execFileSync('git', ['rev-parse', '--short', values.base], { cwd: repoRoot, encoding: 'utf8' }).trim();
const baseDir = path.join(repoRoot, '.data', 'bench-web', baseCommit);
if (!fs.existsSync(path.join(baseDir, 'web', 'dist', 'index.html'))) {
  log(`Building the base (${baseCommit}) in ${path.relative(repoRoot, baseDir)}…`);
  fs.rmSync(baseDir, { recursive: true, force: true });
  fs.mkdirSync(baseDir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', baseCommit, 'server', 'web', 'vite.config.ts', 'package.json'], { cwd: repoRoot, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', baseDir], { input: archive });
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(baseDir, 'node_modules'), 'dir');
  execFileSync(vite, ['build', '--logLevel', 'warn'], { cwd: baseDir, stdio: 'inherit' });
}
if (!values['no-build']) {
  log('Building this checkout…');
  execFileSync(vite, ['build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
}

// --- The database and the two servers ----------------------------------------------------------
const env = loadConfig();
const cluster = env.DATABASE_URL ? null : await startLocalCluster({ name: 'pg-bench-web', preferredPort: 54361, log, durable: false });
const databaseUrl = env.DATABASE_URL ?? cluster!.connectionString;
const pool = createPool(databaseUrl, 20);
await migrate(pool);
await ensureDemoLoaded(pool, log);
const settings = {
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'silent',
  DEMO: 'true',
  LOGIN_RATE_PER_MINUTE: '100000',
  EXPENSIVE_RATE_PER_MINUTE: '1000000',
  GLYPHS_DIR: path.join(repoRoot, '.data', 'glyphs'),
  BASEMAP_DIR: path.join(repoRoot, '.data', 'basemaps'),
};
await warmGlyphs();
const baseServer = (await import(pathToFileURL(path.join(baseDir, 'server', 'app.ts')).href)) as { buildApp: typeof buildApp };
const baseConfig = (await import(pathToFileURL(path.join(baseDir, 'server', 'config.ts')).href)) as { loadConfig: typeof loadConfig };
/** A server and what it has sent: bytes at its sockets (headers and bodies as sent), bodies by kind. */
interface Served {
  name: string;
  app: FastifyInstance;
  url: string;
  /** Bytes written to all its sockets so far. */
  bytesSent(): number;
  /** Response bodies so far (their Content-Length), by kind of request. */
  bodies: Record<string, number>;
  /** Requests received and not yet answered. */
  pending: number;
  /** When a request last arrived or was answered (Date.now()). */
  lastActivity: number;
}
const apps: Served[] = [];
/** For the trace: when each request came, and when the visit began (performance.now()). */
const cameAt = new WeakMap<object, number>();
let visitStart = 0;
for (const [name, build, load] of [
  [`base ${baseCommit}`, baseServer.buildApp, baseConfig.loadConfig],
  ['this build', buildApp, loadConfig],
] as const) {
  const app = await build({ config: load(settings), pool, serveWeb: true });
  const sockets = new Set<import('node:net').Socket>();
  let closedBytes = 0;
  const served: Served = {
    name,
    app,
    url: '',
    bytesSent: () => closedBytes + [...sockets].reduce((sum, socket) => sum + socket.bytesWritten, 0),
    bodies: {},
    pending: 0,
    lastActivity: 0,
  };
  const open = new WeakSet<object>();
  const done = (request: object) => {
    served.lastActivity = Date.now();
    if (open.delete(request)) served.pending--;
  };
  app.addHook('onRequest', async (request) => {
    cameAt.set(request, performance.now());
    served.lastActivity = Date.now();
    open.add(request);
    served.pending++;
  });
  // A tile MapLibre no longer needs is aborted: no response follows.
  app.addHook('onRequestAbort', async (request) => done(request));
  app.addHook('onResponse', async (request, reply) => {
    done(request);
    // The trace: status, body bytes, encoding, when the request came and was answered (ms from the
    // visit's start, on the server's clock) and the URL.
    if (process.env.BENCH_WEB_TRACE) {
      const at = cameAt.get(request) ?? performance.now();
      const came = Math.round(at - visitStart);
      const answered = Math.round(performance.now() - visitStart);
      log(`    ${reply.statusCode} ${String(reply.getHeader('content-length') ?? '').padStart(8)} ${String(reply.getHeader('content-encoding') ?? '').padEnd(4)} ${String(came).padStart(6)} ${String(answered).padStart(6)} ${request.url}`);
    }
    const kind = kindOf(request.url, String(reply.getHeader('content-type') ?? ''));
    served.bodies[kind] = (served.bodies[kind] ?? 0) + Number(reply.getHeader('content-length') ?? 0);
  });
  served.url = await app.listen({ port: 0, host: '127.0.0.1' });
  app.server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  apps.push(served);
}

function kindOf(url: string, contentType: string): string {
  const p = url.split('?')[0]!;
  if (p.startsWith('/api/tiles/')) return 'tiles';
  if (p.startsWith('/api/glyphs/') || p.startsWith('/api/basemap')) return 'basemap';
  if (p.startsWith('/api/')) return 'api';
  if (/\.m?js$/.test(p)) return 'scripts';
  if (/\.css$/.test(p)) return 'css';
  return contentType.startsWith('text/html') ? 'html' : 'other';
}

/** The glyph ranges the demo's labels need, built before any page asks (as the test setup does). */
async function warmGlyphs() {
  const { rows } = await pool.query<{ text: string }>(`SELECT coalesce(string_agg(name, ''), '') AS text FROM (SELECT name FROM road_segment UNION SELECT name FROM admin_area) n`);
  const starts = new Set<number>([0]);
  for (const ch of rows[0]!.text) starts.add(Math.floor(ch.codePointAt(0)! / 256) * 256);
  const glyphs = createGlyphService(settings.GLYPHS_DIR);
  for (const start of starts) if (start <= 65280) for (const font of Object.keys(GLYPH_FONTS)) await glyphs.range(font, `${start}-${start + 255}`).catch(() => {});
}

// --- One visit ---------------------------------------------------------------------------------
/** Counts WebGL draw calls from inside the page (the same for both builds: no app hook needed). */
const DRAW_PROBE = `(() => {
  const s = (window.__benchDraws = { origin: performance.timeOrigin, first: null, last: null, times: [] });
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of ['drawElements', 'drawArrays', 'drawElementsInstanced', 'drawArraysInstanced']) {
      const original = proto[name];
      if (!original) continue;
      proto[name] = function (...args) {
        const now = performance.now();
        if (s.first === null) s.first = now;
        if (s.last !== now && s.times.length < 20000) s.times.push(now);
        s.last = now;
        return original.apply(this, args);
      };
    }
  }
})();`;

interface Visit {
  /** Bytes the server sent over the visit (at its sockets). */
  bytes: number;
  /** The same seen by Chromium: encodedDataLength of Network.loadingFinished, page and workers. */
  cdpBytes: number;
  requests: number;
  byKind: Record<string, number>;
  firstFrameMs: number | null;
  /** The first frame drawn after the page's first (non-empty) vector tile arrived. */
  shownMs: number | null;
  drawnMs: number | null;
}

async function visit(context: BrowserContext, cdp: CDPSession, server: Served, url: string): Promise<Visit> {
  const page = context.pages()[0]!;
  let lastNetwork = Date.now();
  const startBytes = server.bytesSent();
  const startBodies = { ...server.bodies };
  const result: Visit = { bytes: 0, cdpBytes: 0, requests: 0, byKind: {}, firstFrameMs: null, shownMs: null, drawnMs: null };
  // When the first tile with content finished loading, on the wall clock (CDP times are monotonic:
  // requestWillBeSent gives the offset).
  const tiles = new Map<string, { offset: number; ok: boolean }>();
  let firstTileWall = Infinity;
  const onRequest = (e: { requestId: string; request: { url: string }; timestamp: number; wallTime: number }) => {
    lastNetwork = Date.now();
    result.requests++;
    if (/\/api\/tiles\/[a-z-]+\/\d+\//.test(e.request.url)) tiles.set(e.requestId, { offset: e.wallTime - e.timestamp, ok: false });
  };
  const onResponse = (e: { requestId: string; response: { status: number } }) => {
    const tile = tiles.get(e.requestId);
    if (tile) tile.ok = e.response.status === 200 || e.response.status === 304; // 304: the cached tile
  };
  const onFinished = (e: { requestId: string; timestamp: number; encodedDataLength: number }) => {
    lastNetwork = Date.now();
    result.cdpBytes += e.encodedDataLength;
    const tile = tiles.get(e.requestId);
    if (tile?.ok) firstTileWall = Math.min(firstTileWall, (e.timestamp + tile.offset) * 1000);
  };
  const onOther = () => {
    lastNetwork = Date.now();
  };
  const onWorkerMessage = (e: { message: string }) => {
    const m = JSON.parse(e.message) as { method?: string; params?: never };
    if (m.method === 'Network.requestWillBeSent') onRequest(m.params!);
    else if (m.method === 'Network.responseReceived') onResponse(m.params!);
    else if (m.method === 'Network.loadingFinished') onFinished(m.params!);
    else if (m.method?.startsWith('Network.')) onOther();
  };
  cdp.on('Network.requestWillBeSent', onRequest);
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  cdp.on('Network.dataReceived', onOther);
  cdp.on('Network.loadingFailed', onOther);
  cdp.on('Target.receivedMessageFromTarget', onWorkerMessage);
  try {
    visitStart = performance.now();
    await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      await page.waitForTimeout(100);
      const [draws, nowInPage] = (await page.evaluate('[window.__benchDraws, performance.now()]')) as [{ origin: number; first: number | null; last: number | null; times: number[] } | undefined, number];
      // Quiet: nothing sent, received or answered for QUIET_MS (a request the server never answers,
      // such as one aborted mid-way, does not hold the visit open).
      const quiet = Date.now() - Math.max(lastNetwork, server.lastActivity) > QUIET_MS;
      if (draws?.last != null && nowInPage - draws.last > QUIET_MS && quiet) {
        result.firstFrameMs = draws.first;
        result.shownMs = draws.times.find((t) => draws.origin + t >= firstTileWall) ?? null;
        result.drawnMs = draws.last;
        break;
      }
      if (Date.now() > deadline) {
        result.firstFrameMs = draws?.first ?? null;
        log(`  (not still after ${TIMEOUT_MS / 1000} s: ${draws?.times.length} draws, ${server.pending} requests unanswered)`);
        break;
      }
    }
  } finally {
    cdp.off('Network.requestWillBeSent', onRequest);
    cdp.off('Network.responseReceived', onResponse);
    cdp.off('Network.loadingFinished', onFinished);
    cdp.off('Network.dataReceived', onOther);
    cdp.off('Network.loadingFailed', onOther);
    cdp.off('Target.receivedMessageFromTarget', onWorkerMessage);
  }
  result.bytes = server.bytesSent() - startBytes;
  for (const [kind, n] of Object.entries(server.bodies)) if (n - (startBodies[kind] ?? 0) > 0) result.byKind[kind] = n - (startBodies[kind] ?? 0);
  return result;
}

/**
 * The map's web worker fetches its own script and tiles: attach to every worker the page starts
 * (paused until then), throttle it like the page and report its requests through the page's session.
 */
async function throttleWorkers(cdp: CDPSession) {
  let id = 1_000_000;
  const toWorker = (sessionId: string, method: string, params: object = {}) =>
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: id++, method, params }) });
  cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
    void (async () => {
      if (e.targetInfo.type === 'worker') {
        await toWorker(e.sessionId, 'Network.enable');
        await toWorker(e.sessionId, 'Network.emulateNetworkConditions', PROFILE);
      }
      await toWorker(e.sessionId, 'Runtime.runIfWaitingForDebugger');
    })().catch(() => {});
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
}

async function coldAndWarm(browser: Awaited<ReturnType<typeof launchBrowser>>, server: Served, pagePath: string, role: Role | null) {
  const base = server.url;
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  try {
    if (role) {
      const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
      const res = await context.request.post(`${base}/api/auth/login`, { data: { username: account.username, password: account.password } });
      if (!res.ok()) throw new Error(`login as ${role}: ${res.status()} ${await res.text()}`);
    }
    await context.addInitScript(DRAW_PROBE);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', PROFILE);
    if (cpuRate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
    await throttleWorkers(cdp);
    const cold = await visit(context, cdp, server, `${base}${pagePath}`);
    const warm = await visit(context, cdp, server, `${base}${pagePath}`);
    return { cold, warm };
  } finally {
    await context.close();
  }
}

// --- The run -----------------------------------------------------------------------------------
const median = (xs: (number | null)[]) => {
  if (xs.some((x) => x === null)) return null;
  const s = (xs as number[]).slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const browser = await launchBrowser();
const rows: { build: string; page: string; visit: 'cold' | 'warm'; kb: number; cdpKb: number; requests: number; firstFrameS: number | null; shownS: number | null; drawnS: number | null; byKindKb: Record<string, number> }[] = [];
try {
  for (const { path: pagePath, role } of PAGES) {
    for (const server of apps) {
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await coldAndWarm(browser, server, pagePath, role));
      for (const which of ['cold', 'warm'] as const) {
        const visits = results.map((r) => r[which]);
        const pick = visits[Math.floor(visits.length / 2)]!;
        const byKindKb = Object.fromEntries(Object.entries(pick.byKind).map(([k, v]) => [k, Math.round(v / 1024)]));
        rows.push({
          build: server.name,
          page: pagePath,
          visit: which,
          kb: Math.round(median(visits.map((v) => v.bytes))! / 1024),
          cdpKb: Math.round(median(visits.map((v) => v.cdpBytes))! / 1024),
          requests: pick.requests,
          firstFrameS: median(visits.map((v) => v.firstFrameMs)) === null ? null : median(visits.map((v) => v.firstFrameMs))! / 1000,
          shownS: median(visits.map((v) => v.shownMs)) === null ? null : median(visits.map((v) => v.shownMs))! / 1000,
          drawnS: median(visits.map((v) => v.drawnMs)) === null ? null : median(visits.map((v) => v.drawnMs))! / 1000,
          byKindKb,
        });
        const r = rows.at(-1)!;
        log(`${r.page.padEnd(11)} ${r.build.padEnd(14)} ${r.visit}  ${String(r.kb).padStart(6)} KB (Chromium ${r.cdpKb})  ${String(r.requests).padStart(3)} req  first frame ${fmt(r.firstFrameS)}  map shown ${fmt(r.shownS)}  settled ${fmt(r.drawnS)}  ${JSON.stringify(r.byKindKb)}`);
      }
    }
  }
} finally {
  await browser.close();
  for (const { app } of apps) await app.close();
  await pool.end();
  if (cluster?.startedHere) cluster.stop();
}

function fmt(s: number | null) {
  return s === null ? '   —  ' : `${s.toFixed(2)} s`;
}

console.log(`\nWeb pages on 4G (9 Mbit/s down, 3 up, 150 ms RTT${cpuRate > 1 ? `, CPU ÷${cpuRate}` : ''}), ${VIEWPORT.width}×${VIEWPORT.height}, median of ${runs}`);
console.log('| page | build | visit | KB transferred | requests | first frame | map shown | settled |');
console.log('|---|---|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.page} | ${r.build} | ${r.visit} | ${r.kb} | ${r.requests} | ${fmt(r.firstFrameS)} | ${fmt(r.shownS)} | ${fmt(r.drawnS)} |`);
if (values.json) fs.writeFileSync(values.json, JSON.stringify(rows, null, 2));
