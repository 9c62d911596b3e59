import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** A sentence for a person: the server's own message for 4xx replies, a plain one otherwise. */
export function describeError(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('errors.network');
    if (error.status === 400) return t('errors.badRequest', { message: error.message });
    if (error.status === 404) return t('errors.notFound', { message: error.message });
    return t('errors.server', { status: error.status, message: error.message });
  }
  return error instanceof Error ? error.message : String(error);
}
