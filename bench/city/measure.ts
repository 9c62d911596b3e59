/** Latency figures shared by the city benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import type { Role } from '../../server/modules/auth/roles.js';

export interface Figures {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  /** Requests per second over the whole run. */
  rate: number;
  errors: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Runs `task` for every item with `concurrency` workers (each takes the next item when done);
 * returns the latency figures. `task` returns false for an error.
 */
export async function runConcurrently<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<boolean>): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        const t0 = performance.now();
        const ok = await task(items[i]!).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { n: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rate: latencies.length / elapsed, errors };
}

/** Keeps `concurrency` workers busy for `seconds`, each picking items round-robin. */
export async function runForDuration<T>(items: readonly T[], concurrency: number, seconds: number, task: (item: T) => Promise<boolean>): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const item = items[next++ % items.length]!;
        const t0 = performance.now();
        const ok = await task(item).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { n: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rate: latencies.length / elapsed, errors };
}

/** The median of each figure over repeated runs. */
export function medianFigures(runs: Figures[]): Figures {
  const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    return s[Math.floor((s.length - 1) / 2)]!;
  };
  return {
    n: median(runs.map((r) => r.n)),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    rate: median(runs.map((r) => r.rate)),
    errors: Math.max(...runs.map((r) => r.errors)),
  };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts the app in a child process on the given database; resolves with its base URL. */
export async function startServer(databaseUrl: string, poolSize = 20): Promise<{ base: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'city', 'serve.ts')], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, POOL_SIZE: String(poolSize) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk) => {
      text += chunk;
      const match = /listening (\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`benchmark server exited (${code})`)));
  });
  return {
    base,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Logs in as a demo account; returns the Cookie header. */
export async function login(base: string, role: Role): Promise<string> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (res.status !== 200) throw new Error(`login as ${role}: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

export const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
