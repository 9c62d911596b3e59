import type { RefusalParams } from '../../../server/shared/refusals';

/**
 * A tiny typed fetch client for the Wangge API. Replies are typed with the server's own
 * TypeBox schemas (see `endpoints.ts`); failures become an `ApiError` carrying the status and the
 * server's message, which is written for a person to act on and is shown as is.
 */

export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached at all. */
    readonly status: number,
    message: string,
    /** The reply's `details`, when the server sent any (e.g. `{ otpRequired: true }`). */
    readonly details?: unknown,
    /** The refusal's stable code and parameters (server/shared/refusals.ts), when it has one. */
    readonly code?: string,
    readonly params?: RefusalParams,
    /** The server's English message (the `message` of this error is in the UI's language). */
    readonly serverMessage: string = message,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

/** `/api/x?a=1&b=2`, leaving out empty values. */
export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Sends a request: a FormData body goes as multipart/form-data, anything else as JSON. */
async function send(method: Method, path: string, options: RequestOptions = {}, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  let body: string | FormData | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), { method, headers, body, signal: options.signal, credentials: 'same-origin' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw await apiErrorFrom(response);
  return response;
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch {
    return undefined as T;
  }
}

/** A file the server sent (an export), with the name its Content-Disposition gives, else `fallbackName`. */
async function download(method: Method, path: string, options: RequestOptions & { fallbackName: string }): Promise<{ blob: Blob; fileName: string }> {
  const response = await send(method, path, options, '*/*');
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const fileName = encoded ? decodeURIComponent(encoded) : (/filename="([^"]+)"/.exec(disposition)?.[1] ?? options.fallbackName);
  return { blob: await response.blob(), fileName };
}

/** Hands a blob to the browser as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Multipart form data: the fields, then one file under `fileField` (default 'file'). */
export function formWithFile(file: File, fields: Record<string, string | undefined> = {}, fileField = 'file'): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.append(key, value);
  form.append(fileField, file, file.name);
  return form;
}

/**
 * The ApiError for a refused response: a refusal with a known code is said in the UI's language
 * (`refusal.<code>` with its parameters); otherwise the server's own message.
 */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let message = response.statusText || `HTTP ${response.status}`;
  let details: unknown;
  let code: string | undefined;
  let params: RefusalParams | undefined;
  try {
    const body = await response.json();
    if (typeof body?.message === 'string') message = body.message;
    details = body?.details;
    if (typeof body?.code === 'string') {
      code = body.code;
      params = (body.params ?? {}) as RefusalParams;
    }
  } catch {
    // not JSON: keep the status text
  }
  if (code) await loadRefusalCatalogue();
  return refusalError(response.status, message, details, code, params);
}

let refusalText: typeof import('./refusal-text') | null = null;

/**
 * Fetches the refusal catalogue (every code in both languages, a chunk of its own) once: with the
 * first refusal, or before a job's failure is said. If it cannot be had, the server's own message
 * stands.
 */
export async function loadRefusalCatalogue(): Promise<void> {
  if (refusalText) return;
  try {
    refusalText = await import('./refusal-text');
  } catch {
    // not loaded: messages stay as the server wrote them
  }
}

/**
 * The ApiError of a refusal given as fields (a failed job's error, errorCode and errorParams):
 * said in the UI's language when its code is known and the catalogue is loaded
 * (loadRefusalCatalogue), else the server's message.
 */
export function refusalError(status: number, message: string, details?: unknown, code?: string | null, params?: unknown): ApiError {
  const refusalParams = (params ?? {}) as RefusalParams;
  const localized = code && refusalText ? refusalText.renderRefusalText(code, refusalParams) : undefined;
  return new ApiError(status, localized ?? message, details, code ?? undefined, code ? refusalParams : undefined, message);
}

/** The failure of a job (imports, siting) in the UI's language (the catalogue loaded first). */
export const jobFailureText = (job: { error: string | null; errorCode?: string | null; errorParams?: unknown }) =>
  refusalError(500, job.error ?? '', undefined, job.errorCode, job.errorParams).message;

/**
 * A problem found in an uploaded file (a row error, a feature error, a finding) in the UI's
 * language: its code and parameters through the refusal catalogue (load it first with
 * loadRefusalCatalogue, as a panel does when an answer lists problems), else its English message.
 */
export const problemText = (p: { message: string; code?: string | null; params?: unknown }) =>
  refusalError(422, p.message, undefined, p.code, p.params).message;

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  /** `body` is sent as JSON, or as multipart/form-data when it is a FormData (uploads: see formWithFile). */
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, options),
  /** A GET (or a POST with `body`) whose answer is a file to save. */
  download: (path: string, options: RequestOptions & { fallbackName: string }) => download(options.body === undefined ? 'GET' : 'POST', path, options),
};

/** True for the rejection of a fetch that we aborted ourselves (a newer request replaced it). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
