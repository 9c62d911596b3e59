/**
 * The refusals no route throws: what Fastify and its plugins answer before or around a handler
 * (a body too large, a media type no parser takes, malformed JSON, multipart limits, a broken
 * URL), the database refusing a value, the server being unavailable. Each gets a catalogue code
 * with its parameters (refusals.ts), so that the web says it in the user's language like any
 * other refusal; the English `message` stays for API users.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import { phrase } from './errors.js';
import { REFUSALS, renderTemplate, type RefusalCode, type RefusalParams } from './refusals.js';
import { INPUT_ERROR_CODES } from './request-text.js';

export interface RequestRefusal {
  status: number;
  code: RefusalCode;
  params: RefusalParams;
}

/** Fastify's own body limit when a route sets none (buildApp's `bodyLimit`). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface UploadLimits {
  /** The largest file a multipart upload may carry (bytes). */
  fileSize: number;
  files: number;
  fields: number;
}

/**
 * The refusal for an error of Fastify, @fastify/multipart or the database, or null when the
 * error is none of them (then it is the server's fault: a 500).
 */
export function requestRefusal(error: FastifyError, request: FastifyRequest, uploads: UploadLimits): RequestRefusal | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'request.bodyTooLarge', params: { limit: request.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMIT } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'request.mediaType', params: { contentType: String(request.headers['content-type'] ?? '').slice(0, 100) } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'request.emptyJson', params: {} };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'request.malformedJson', params: {} };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'request.contentLength', params: {} };
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, code: 'request.fileTooLarge', params: { megabytes: Math.round(uploads.fileSize / 1048576) } };
    case 'FST_FILES_LIMIT':
      return { status: 413, code: 'request.tooManyFiles', params: { max: uploads.files } };
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return { status: 413, code: 'request.tooManyFields', params: { max: uploads.fields } };
    case 'FST_PROTO_VIOLATION':
      return { status: 400, code: 'request.protoField', params: { field: '__proto__' } };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 415, code: 'upload.notMultipart', params: {} };
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return { status: 400, code: 'request.multipartJson', params: {} };
    case 'FST_MP_PREMATURE_CLOSE':
      return { status: 400, code: 'request.uploadCut', params: {} };
  }
  const input = error.code ? INPUT_ERROR_CODES[error.code] : undefined;
  if (input) {
    // A value of the request that the database refused (the checks before should have caught it).
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    return { status: 400, code: 'request.invalidInput', params: { problem: phrase(input), route } };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'request.other', params: { detail: error.message.slice(0, 300) } };
  }
  return null;
}

/** `No route GET /x` for a URL no route answers. */
export const noRouteRefusal = (request: FastifyRequest): RequestRefusal => ({
  status: 404,
  code: 'request.noRoute',
  params: { method: request.method, url: request.url.slice(0, 200) },
});

/**
 * The language a client asks for in Accept-Language: 'zh' when Chinese comes before English
 * (by q-value, then order), 'en' otherwise — also when it names neither.
 */
export function preferredLanguage(header: string | undefined): 'zh' | 'en' {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((r) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(r)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && (entry.tag === 'zh' || entry.tag.startsWith('zh-') || entry.tag === 'en' || entry.tag.startsWith('en-')))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.tag.startsWith('zh') ? 'zh' : 'en';
}

/** A refusal in the given language (the server's one renderer, refusals.ts). */
export function renderRefusalIn(code: RefusalCode, params: RefusalParams, language: 'zh' | 'en'): string {
  const lookup = (c: string) => (Object.prototype.hasOwnProperty.call(REFUSALS, c) ? REFUSALS[c as RefusalCode][language] : undefined);
  return renderTemplate(REFUSALS[code][language], params, language === 'zh' ? 'zh-CN' : 'en-US', lookup);
}
