/**
 * Long runs as jobs: started by one request, polled for progress by the next ones — coverage
 * siting over thousands of candidate sites, and every import's commit. Kept in this process's
 * memory — a run takes seconds and its result is not worth storing; a restart simply forgets
 * unfinished runs. A run that fails with an expected error (HttpError) keeps its status and
 * details, so the poller can show what the synchronous request would have answered.
 */
import crypto from 'node:crypto';
import { HttpError, refuse } from './errors.js';

export interface Job<T> {
  id: string;
  ownerUserId: number;
  status: 'running' | 'done' | 'failed';
  progress: { stage: string; done: number; total: number };
  result: T | null;
  error: string | null;
  /** The HTTP status and details an expected failure carries (400/422 with the feature named). */
  errorStatus: number | null;
  errorDetails: unknown;
  /** The failure's refusal code and parameters (refusals.ts), for the web to say it in the user's language. */
  errorCode: string | null;
  errorParams: unknown;
  finishedAt: number | null;
}

/** A job as its owner is shown it: everything but who owns it and when it ended. */
export function publicJob<T>(job: Job<T>) {
  return { id: job.id, status: job.status, progress: job.progress, result: job.result, error: job.error, errorStatus: job.errorStatus, errorDetails: job.errorDetails, errorCode: job.errorCode, errorParams: job.errorParams };
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
        throw refuse(429, 'jobs.tooMany', { running });
      }
      const job: Job<T> = { id: crypto.randomBytes(16).toString('hex'), ownerUserId, status: 'running', progress: { stage: 'queued', done: 0, total: 1 }, result: null, error: null, errorStatus: null, errorDetails: null, errorCode: null, errorParams: null, finishedAt: null };
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
          job.errorStatus = error instanceof HttpError ? error.statusCode : 500;
          job.errorDetails = error instanceof HttpError ? (error.details ?? null) : null;
          job.errorCode = error instanceof HttpError ? (error.code ?? null) : 'server.error';
          job.errorParams = error instanceof HttpError ? (error.params ?? null) : {};
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
