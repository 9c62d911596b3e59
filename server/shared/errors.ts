/**
 * Expected failures: a status, a stable code with its parameters, and an English message a person
 * can act on. The app's error handler sends them as { statusCode, error, message, code, params }:
 * the web renders `code` + `params` in the user's language (see refusals.ts, the catalogue),
 * API users keep reading `message`. Anything else becomes a logged 500 with no internals.
 *
 * Each helper takes either a catalogue code and its parameters — `badRequest('grids.overlap',
 * { subject, other, areaSquareMeters })` — or, for refusals not converted yet, a plain message.
 */
import { isRefusalCode, renderRefusal, type RefusalCode, type RefusalParams } from './refusals.js';

export type { RefusalCode, RefusalParams } from './refusals.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
    /** Stable catalogue code (refusals.ts), when the refusal has one. */
    readonly code?: RefusalCode,
    readonly params?: RefusalParams,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A phrase inside a refusal (e.g. "version 3 of grid …"): rendered in the reader's language too. */
export const phrase = (code: RefusalCode, params: RefusalParams = {}) => ({ code, params });

function make(status: number, first: string, second?: unknown, third?: unknown): HttpError {
  if (isRefusalCode(first)) {
    const params = (second ?? {}) as RefusalParams;
    return new HttpError(status, renderRefusal(first, params), third, first, params);
  }
  return new HttpError(status, first, second);
}

type Helper = {
  (code: RefusalCode, params?: RefusalParams, details?: unknown): HttpError;
  /** @deprecated give a catalogue code (refusals.ts) so that the web can show it in the user's language */
  (message: string, details?: unknown): HttpError;
};

export const badRequest: Helper = (first: string, second?: unknown, third?: unknown) => make(400, first, second, third);
export const forbidden = ((first: string = 'auth.roleMayNot', second?: unknown, third?: unknown) => make(403, first, second, third)) as Helper & (() => HttpError);
export const unauthorized = ((first: string = 'auth.loginRequired', second?: unknown, third?: unknown) => make(401, first, second, third)) as Helper & (() => HttpError);
export const notFound: Helper = (first: string, second?: unknown, third?: unknown) => make(404, first, second, third);
export const conflict: Helper = (first: string, second?: unknown, third?: unknown) => make(409, first, second, third);
export const unprocessable: Helper = (first: string, second?: unknown, third?: unknown) => make(422, first, second, third);
/** Any other status (423 locked, 413 too large, …) with a catalogue code. */
export const refuse = (status: number, code: RefusalCode, params: RefusalParams = {}, details?: unknown) =>
  new HttpError(status, renderRefusal(code, params), details, code, params);
