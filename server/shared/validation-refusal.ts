/**
 * A schema-validation failure (Fastify + TypeBox/Ajv) as a refusal code with the field path, so
 * that the web can say it in the user's language: `validation.required` { field: 'body/name' }.
 * The reply's `message` stays Fastify's English one for API users.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { isRefusalCode, type RefusalCode, type RefusalParams } from './refusals.js';

export function validationRefusal(
  errors: readonly FastifySchemaValidationError[],
  context: string | undefined,
): { code: RefusalCode; params: RefusalParams } {
  const first = mostTelling(errors);
  const base = [context ?? 'body', ...(first?.instancePath ?? '').split('/').filter(Boolean)].join('/');
  const p = (first?.params ?? {}) as Record<string, unknown>;
  const keyword = first?.keyword ?? 'other';
  const field = keyword === 'required' && typeof p.missingProperty === 'string' ? `${base}/${p.missingProperty}` : base;
  // An empty text where one is required reads better as "must not be empty" than "at least 1 character".
  const code = keyword === 'minLength' && p.limit === 1 ? 'validation.empty' : `validation.${keyword}`;
  if (!isRefusalCode(code)) return { code: 'validation.other', params: { field, detail: first?.message ?? keyword } };
  const params: RefusalParams = { field };
  if (typeof p.limit === 'number') params.limit = p.limit;
  if (typeof p.type === 'string') params.expected = p.type;
  if (Array.isArray(p.allowedValues)) params.allowed = p.allowedValues.map(String);
  if (typeof p.format === 'string') params.format = p.format;
  if (typeof p.additionalProperty === 'string') params.property = p.additionalProperty;
  return { code, params };
}

/**
 * The error that says what is wrong: for a value that failed every branch of a union (a nullable
 * number above its maximum fails `null` and `maximum`), the branch's own limit rather than
 * "must be null"; when every branch is only the wrong type, the types it may have.
 */
function mostTelling(errors: readonly FastifySchemaValidationError[]): FastifySchemaValidationError | undefined {
  const first = errors[0];
  if (!first || !(first.schemaPath ?? '').includes('/anyOf/')) return first;
  const sameSpot = errors.filter((e) => e.instancePath === first.instancePath && e.keyword !== 'anyOf');
  const telling = sameSpot.find((e) => e.keyword !== 'type');
  if (telling) return telling;
  const types = sameSpot.map((e) => (e.params as { type?: unknown }).type).filter((t): t is string => typeof t === 'string');
  return { ...first, params: { ...first.params, type: [...new Set(types)].join(' | ') } };
}
