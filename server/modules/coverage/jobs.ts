/**
 * Long runs (siting over thousands of candidate sites) as jobs: started by one request, polled
 * for progress by the next ones. Kept in this process's memory — a run takes seconds and its
 * result is not worth storing; a restart simply forgets unfinished runs.
 */
import crypto from 'node:crypto';
import { HttpError } from '../../shared/errors.js';

export interface Job<T> {
  id: string;
  ownerUserId: number;
  status: 'running' | 'done' | 'failed';
  progress: { stage: string; done: number; total: number };
  result: T | null;
  error: string | null;
  finishedAt: number | null;
}

export function createJobRegistry<T>(options: { maxRunningPerUser: number; keepMs: number }) {
  const jobs = new Map<string, Job<T>>();

  const sweep = () => {
    const now = Date.now();
    for (const [id, job] of jobs) if (job.finishedAt !== null && now - job.finishedAt > options.keepMs) jobs.delete(id);
  };

  return {
    /** Starts `run` in the background; a user may have only a few runs going at once. */
    start(ownerUserId: number, run: (progress: (stage: string, done: number, total: number) => void) => Promise<T>, onError: (error: unknown) => void): Job<T> {
      sweep();
      const running = [...jobs.values()].filter((j) => j.ownerUserId === ownerUserId && j.status === 'running').length;
      if (running >= options.maxRunningPerUser) {
        throw new HttpError(429, `you already have ${running} run(s) going; wait for them to finish`);
      }
      const job: Job<T> = { id: crypto.randomBytes(16).toString('hex'), ownerUserId, status: 'running', progress: { stage: 'queued', done: 0, total: 1 }, result: null, error: null, finishedAt: null };
      jobs.set(job.id, job);
      run((stage, done, total) => {
        job.progress = { stage, done, total };
      }).then(
        (result) => {
          job.result = result;
          job.status = 'done';
          job.finishedAt = Date.now();
        },
        (error: unknown) => {
          job.status = 'failed';
          job.error = error instanceof HttpError ? error.message : 'the run failed on the server';
          job.finishedAt = Date.now();
          onError(error);
        },
      );
      return job;
    },

    /** A job as its owner sees it; another user's job does not exist for them. */
    get(id: string, ownerUserId: number): Job<T> | null {
      sweep();
      const job = jobs.get(id);
      return job && job.ownerUserId === ownerUserId ? job : null;
    },
  };
}
