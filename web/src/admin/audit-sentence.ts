/**
 * An audit row as a sentence in the UI's language ("张三 修改了网格 610402001012007 的边界（原因：…）"),
 * from the action's template in `admin.sentences`, else a generic one naming the action.
 */
import type { TFunction } from 'i18next';
import type { AuditRow } from '../api/security';
import { formatCount } from '../i18n/format-number';

const scalar = (value: unknown): string | number | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? value : undefined;

export function auditSentence(row: AuditRow, t: TFunction): string {
  const detail = (row.detail ?? {}) as Record<string, unknown>;
  const key = row.action.replace(/\./g, '_');
  const fields = Array.isArray(detail.fields) ? (detail.fields as unknown[]) : [];
  const templateKey = key === 'grid_update' && fields.includes('geometry') ? 'grid_update_boundary' : key;
  const actor = row.actorUsername ?? t('admin.sentences.anonymous');
  const id = (row.targetId ?? '').split(',').join('、');
  const params: Record<string, string | number> = { actor, id };
  for (const [name, value] of Object.entries(detail)) {
    const v = scalar(value);
    if (v !== undefined) params[name] = typeof v === 'number' ? formatCount(v) : v;
  }
  if (Array.isArray(detail.retired)) params.id = [id, ...(detail.retired as string[])].join('、');
  let sentence: string;
  if (t(`admin.sentences.${templateKey}`, { defaultValue: '' }) !== '') {
    sentence = String(t(`admin.sentences.${templateKey}` as never, params as never));
  } else {
    const actionName = t(`admin.actions.${key}`, { defaultValue: '' });
    const type = row.targetType ? t(`admin.targetTypes.${row.targetType}`, { defaultValue: row.targetType }) : '';
    const target = row.targetType ? t('admin.sentences.target', { type, id }) : '';
    sentence = actionName
      ? t('admin.sentences.generic', { actor, action: actionName, target })
      : t('admin.sentences.genericUnnamed', { actor, code: row.action, target });
  }
  if (typeof detail.reason === 'string' && detail.reason.trim()) sentence += t('admin.sentences.reason', { reason: detail.reason.trim() });
  return row.success ? sentence : t('admin.sentences.failed', { sentence });
}
