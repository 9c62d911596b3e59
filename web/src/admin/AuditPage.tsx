/**
 * `/admin/audit` (admin only): search the append-only audit log by user, action (or prefix),
 * result and time range; newest first, with "load more" paging on the server's `nextBefore`.
 * The filters live in the address (`?actor=…&action=auth.`), so a search can be linked to.
 */
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ParseKeys } from 'i18next';
import { isAbort } from '../api/client';
import { fetchUsers, searchAudit, type AuditFilter, type AuditRow } from '../api/security';
import { auditSentence } from './audit-sentence';
import { useApi } from '../api/useApi';
import { RequireRole } from '../app/guards';
import { describeError } from '../i18n/describe-error';
import { useDateTimeFormat } from './format-time';
import { zhCN as adminStrings } from './strings';
import './admin.css';

/** Offered in the action field: the families (prefixes) and the actions that have a readable name. */
const ACTION_SUGGESTIONS = [
  'auth.',
  'user.',
  'grid.',
  'facility.',
  'incident.',
  'coverage.',
  ...Object.keys(adminStrings.actions).map((key) => key.replace('_', '.')),
];

/** The form's fields, as typed (times as <input type="datetime-local"> values, local time). */
interface FilterFields {
  actor: string;
  action: string;
  success: '' | 'true' | 'false';
  from: string;
  to: string;
}

const EMPTY: FilterFields = { actor: '', action: '', success: '', from: '', to: '' };

function fieldsFromParams(params: URLSearchParams): FilterFields {
  const success = params.get('success');
  return {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    success: success === 'true' || success === 'false' ? success : '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** A datetime-local value (the browser's time zone) as an ISO instant, or undefined. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function toFilter(fields: FilterFields): AuditFilter {
  return {
    actor: fields.actor.trim() || undefined,
    action: fields.action.trim() || undefined,
    success: fields.success === '' ? undefined : fields.success === 'true',
    from: localToIso(fields.from),
    to: localToIso(fields.to),
  };
}

export function AuditPage() {
  return (
    <RequireRole roles={['admin']}>
      <AuditContent />
    </RequireRole>
  );
}

interface Results {
  rows: AuditRow[];
  nextBefore: number | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

function AuditContent() {
  const { t } = useTranslation();
  const id = useId();
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => fieldsFromParams(params), [params]);
  const appliedKey = JSON.stringify(applied);
  const [fields, setFields] = useState<FilterFields>(applied);
  const [formError, setFormError] = useState<string | null>(null);
  const [results, setResults] = useState<Results>({ rows: [], nextBefore: null, loading: true, loadingMore: false, error: null });
  const [attempt, setAttempt] = useState(0);
  const time = useDateTimeFormat();
  const users = useApi((signal) => fetchUsers(signal), []);

  // The form follows the address (back/forward, a link from the accounts page).
  useEffect(() => setFields(applied), [appliedKey]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const controller = new AbortController();
    setResults({ rows: [], nextBefore: null, loading: true, loadingMore: false, error: null });
    searchAudit(toFilter(applied), null, controller.signal).then(
      (page) => setResults({ rows: page.rows, nextBefore: page.nextBefore, loading: false, loadingMore: false, error: null }),
      (failure: unknown) => {
        if (!isAbort(failure)) setResults({ rows: [], nextBefore: null, loading: false, loadingMore: false, error: failure });
      },
    );
    return () => controller.abort();
  }, [appliedKey, attempt]); // eslint-disable-line react-hooks/exhaustive-deps

  const loadMore = async () => {
    if (results.nextBefore === null) return;
    setResults((r) => ({ ...r, loadingMore: true, error: null }));
    try {
      const page = await searchAudit(toFilter(applied), results.nextBefore);
      setResults((r) => ({ rows: [...r.rows, ...page.rows], nextBefore: page.nextBefore, loading: false, loadingMore: false, error: null }));
    } catch (failure) {
      setResults((r) => ({ ...r, loadingMore: false, error: failure }));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = localToIso(fields.from);
    const to = localToIso(fields.to);
    if (from && to && from >= to) {
      setFormError(t('admin.audit.rangeInvalid'));
      return;
    }
    setFormError(null);
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) if (value.trim()) next.set(key, value.trim());
    if (next.toString() === params.toString()) setAttempt((n) => n + 1);
    else setParams(next);
  };

  const set = (key: keyof FilterFields) => (event: { target: { value: string } }) => setFields((f) => ({ ...f, [key]: event.target.value }));

  return (
    <div className="page admin-page">
      <h1>{t('admin.audit.title')}</h1>
      <p className="muted admin-page__intro">{t('admin.audit.intro')}</p>

      <form className="audit-filters" onSubmit={submit} aria-label={t('admin.audit.filters')} noValidate>
        <div className="field">
          <label htmlFor={`${id}-actor`} className="field-label">
            {t('admin.audit.actor')}
          </label>
          <input id={`${id}-actor`} list={`${id}-actors`} autoComplete="off" spellCheck={false} maxLength={64} placeholder={t('admin.audit.actorHint')} value={fields.actor} onChange={set('actor')} />
          <datalist id={`${id}-actors`}>
            {users.data?.map((u) => (
              <option key={u.id} value={u.username}>
                {u.displayName}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={`${id}-action`} className="field-label">
            {t('admin.audit.action')}
          </label>
          <input
            id={`${id}-action`}
            list={`${id}-actions`}
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            aria-describedby={`${id}-action-hint`}
            value={fields.action}
            onChange={set('action')}
          />
          <datalist id={`${id}-actions`}>
            {ACTION_SUGGESTIONS.map((code) => (
              <option key={code} value={code} />
            ))}
          </datalist>
          <p id={`${id}-action-hint`} className="note">
            {t('admin.audit.actionHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-success`} className="field-label">
            {t('admin.audit.success')}
          </label>
          <select id={`${id}-success`} value={fields.success} onChange={set('success')}>
            <option value="">{t('admin.audit.any')}</option>
            <option value="true">{t('admin.audit.succeeded')}</option>
            <option value="false">{t('admin.audit.failed')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`} className="field-label">
            {t('admin.audit.from')}
          </label>
          <input id={`${id}-from`} type="datetime-local" step={1} value={fields.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`} className="field-label">
            {t('admin.audit.to')}
          </label>
          <input id={`${id}-to`} type="datetime-local" step={1} value={fields.to} onChange={set('to')} />
        </div>
        <div className="button-row audit-filters__buttons">
          <button type="submit" className="button button--primary">
            {t('admin.audit.apply')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setFields(EMPTY);
              setFormError(null);
              setParams(new URLSearchParams());
            }}
          >
            {t('admin.audit.reset')}
          </button>
        </div>
        {formError && (
          <p className="error audit-filters__error" role="alert">
            {formError}
          </p>
        )}
      </form>

      <p className="note">{t('admin.audit.timeZone', { zone: time.timeZone })}</p>
      <p role="status" className="muted">
        {results.loading ? t('admin.audit.loading') : results.error ? '' : results.rows.length === 0 ? t('admin.audit.none') : t('admin.audit.shown', { count: results.rows.length })}
      </p>
      {Boolean(results.error) && (
        <div className="error-box" role="alert">
          <p>{t('admin.audit.loadFailed', { message: describeError(results.error, t) })}</p>
        </div>
      )}
      {results.rows.length > 0 && (
        <div className="table-scroll">
          <table className="data-table audit-table" aria-label={t('admin.audit.tableLabel')}>
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.columns.at')}</th>
                <th scope="col">{t('admin.audit.columns.actor')}</th>
                <th scope="col">{t('admin.audit.columns.action')}</th>
                <th scope="col">{t('admin.audit.columns.target')}</th>
                <th scope="col">{t('admin.audit.columns.result')}</th>
                <th scope="col">{t('admin.audit.columns.ip')}</th>
                <th scope="col">{t('admin.audit.columns.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {results.rows.map((row) => (
                <AuditTableRow key={row.id} row={row} formatTime={time.format} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!results.loading && results.rows.length > 0 && (
        <div className="audit-more">
          {results.nextBefore !== null ? (
            <button type="button" className="button" disabled={results.loadingMore} onClick={loadMore}>
              {results.loadingMore ? t('admin.audit.loadingMore') : t('admin.audit.loadMore')}
            </button>
          ) : (
            <p className="muted">{t('admin.audit.end')}</p>
          )}
        </div>
      )}
    </div>
  );
}

function AuditTableRow({ row, formatTime }: { row: AuditRow; formatTime(iso: string): string }) {
  const { t } = useTranslation();
  const nameKey = row.action.replace('.', '_');
  const actionName = nameKey in adminStrings.actions ? t(`admin.actions.${nameKey}` as ParseKeys) : null;
  const details = Object.entries(row.detail ?? {});
  return (
    <tr className={row.success ? undefined : 'is-failure'}>
      <td className="nowrap">
        <time dateTime={row.at}>{formatTime(row.at)}</time>
      </td>
      <td translate="no">{row.actorUsername ?? <span className="muted">{t('admin.audit.anonymous')}</span>}</td>
      <td>
        <span className="audit-table__sentence">{auditSentence(row, t)}</span>
        {actionName && <span className="visually-hidden">{actionName}</span>}
      </td>
      <td>{row.targetType ? `${row.targetType} ${row.targetId ?? ''}`.trim() : ''}</td>
      <td>
        <span className={row.success ? 'tag tag--ok' : 'tag tag--warn'}>{row.success ? t('admin.audit.ok') : t('admin.audit.fail')}</span>
      </td>
      <td translate="no">{row.ip ?? ''}</td>
      <td className="audit-table__detail">
        {/* Folded: the action's code, and the details when there are any. */}
        <details>
          <summary>{t('admin.detailShow')}</summary>
          <code className="audit-table__action-code">{row.action}</code>
          {details.length > 0 && (
            <dl>
              {details.map(([key, value]) => (
                <div key={key}>
                  <dt>{key}</dt>
                  <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </details>
      </td>
    </tr>
  );
}
