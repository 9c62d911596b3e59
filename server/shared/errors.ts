/**
 * Expected failures: a status and a message a person can act on. The app's error handler sends
 * them as { statusCode, error, message }; anything else becomes a logged 500 with no internals.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, message, details);
export const unauthorized = (message = 'Login required') => new HttpError(401, message);
export const forbidden = (message = 'Your role may not do this') => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, message, details);
