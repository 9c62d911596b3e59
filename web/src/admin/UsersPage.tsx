/**
 * `/admin/users` (admin only): the staff accounts with their role, work area, state, second
 * factor and sessions; create an account (its one-time password is shown once), edit it, unlock
 * it, reset its password, end its sessions. Destructive actions are confirmed first.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { endUserSessions, fetchUsers, resetUserPassword, updateUser, type UserSummary } from '../api/security';
import { useApi } from '../api/useApi';
import { RequireRole } from '../app/guards';
import { useSession } from '../app/session';
import { describeError } from '../i18n/describe-error';
import { useAreaDirectory, useAreaNames } from './area-directory';
import { BasemapSection } from './BasemapSection';
import { CreateUserDialog } from './CreateUserDialog';
import { EditUserDialog } from './EditUserDialog';
import { ServedGridsDialog } from './ServedGridsDialog';
import { useDateTimeFormat } from './format-time';
import { ConfirmDialog } from './Modal';
import { OneTimePasswordDialog } from './OneTimePasswordDialog';
import './admin.css';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; user: UserSummary }
  | { kind: 'grids'; user: UserSummary }
  | { kind: 'reset'; user: UserSummary }
  | { kind: 'endSessions'; user: UserSummary }
  | { kind: 'password'; username: string; password: string; reason: 'created' | 'reset' };

export function UsersPage() {
  return (
    <RequireRole roles={['admin']}>
      <UsersContent />
    </RequireRole>
  );
}

const isLocked = (user: UserSummary) => user.lockedUntil !== null && new Date(user.lockedUntil) > new Date();

function UsersContent() {
  const { t } = useTranslation();
  const { user: me } = useSession();
  const users = useApi((signal) => fetchUsers(signal), []);
  const areas = useAreaDirectory();
  const areaName = useAreaNames(
    areas,
    (users.data ?? []).flatMap((u) => (u.scopeAreaCode ? [u.scopeAreaCode] : [])),
  );
  const time = useDateTimeFormat();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);

  /** Runs one row action, reports its outcome and reloads the table. */
  const act = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setMessage(null);
    try {
      const done = await work();
      if (done) setMessage({ text: done });
    } catch (failure) {
      setDialog(null);
      setMessage({ text: t('admin.users.actionFailed', { message: describeError(failure, t) }), error: true });
    } finally {
      setBusy(false);
      users.reload();
    }
  };

  return (
    <div className="page admin-page">
      <div className="admin-page__heading">
        <h1>{t('admin.users.title')}</h1>
        <button type="button" className="button button--primary" onClick={() => setDialog({ kind: 'create' })}>
          {t('admin.create.open')}
        </button>
      </div>
      <p className="muted admin-page__intro">{t('admin.users.intro')}</p>
      <p role="status" className={message?.error ? 'error' : 'success'}>
        {message?.text ?? ''}
      </p>
      {Boolean(users.error) && (
        <div className="error-box" role="alert">
          <p>{t('admin.users.loadFailed', { message: describeError(users.error, t) })}</p>
          <button type="button" className="button button--small" onClick={users.reload}>
            {t('errors.retry')}
          </button>
        </div>
      )}
      {!users.data && users.loading && <p className="muted">{t('admin.users.loading')}</p>}
      {users.data && (
        <>
          <p className="muted">{t('admin.users.count', { count: users.data.length })}</p>
          <div className="table-scroll">
            <table className="data-table users-table" aria-label={t('admin.users.tableLabel')}>
              <thead>
                <tr>
                  <th scope="col">{t('admin.users.columns.account')}</th>
                  <th scope="col">{t('admin.users.columns.role')}</th>
                  <th scope="col">{t('admin.users.columns.scope')}</th>
                  <th scope="col">{t('admin.users.columns.status')}</th>
                  <th scope="col">{t('admin.users.columns.twoFactor')}</th>
                  <th scope="col">{t('admin.users.columns.sessions')}</th>
                  <th scope="col">{t('admin.users.columns.createdAt')}</th>
                  <th scope="col">{t('admin.users.columns.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((user) => {
                  const locked = isLocked(user);
                  const isSelf = user.id === me?.id;
                  return (
                    <tr key={user.id} className={user.isActive ? undefined : 'is-inactive'}>
                      <th scope="row">
                        <span className="users-table__name">{user.displayName}</span>
                        <span className="users-table__username" translate="no">
                          {user.username}
                        </span>
                        {isSelf && <span className="tag">{t('admin.users.you')}</span>}
                      </th>
                      <td>{t(`roles.${user.role}`)}</td>
                      <td>
                        {user.scopeAreaCode ? areaName(user.scopeAreaCode) : t('admin.users.wholeDistrict')}
                        {user.role === 'grid_worker' && <ServedGridsSummary grids={user.grids} />}
                      </td>
                      <td>
                        <span className={user.isActive ? 'tag tag--ok' : 'tag tag--off'}>{user.isActive ? t('admin.users.active') : t('admin.users.inactive')}</span>
                        {locked && <span className="tag tag--warn">{t('admin.users.locked', { time: time.format(user.lockedUntil!) })}</span>}
                        {user.mustChangePassword && <span className="tag">{t('admin.users.mustChange')}</span>}
                      </td>
                      <td>{user.totpEnabled ? t('admin.users.totpOn') : t('admin.users.totpOff')}</td>
                      <td className="number">{user.activeSessions}</td>
                      <td className="nowrap">{time.format(user.createdAt)}</td>
                      <td>
                        <div className="row-actions" role="group" aria-label={t('admin.users.actionsFor', { username: user.username })}>
                          <button type="button" className="button button--small" disabled={busy} onClick={() => setDialog({ kind: 'edit', user })}>
                            {t('admin.users.edit')}
                          </button>
                          {user.role === 'grid_worker' && (
                            <button type="button" className="button button--small" disabled={busy} aria-label={t('admin.grids.openFor', { username: user.username })} onClick={() => setDialog({ kind: 'grids', user })}>
                              {t('admin.grids.open')}
                            </button>
                          )}
                          {locked && (
                            <button
                              type="button"
                              className="button button--small"
                              disabled={busy}
                              onClick={() =>
                                act(async () => {
                                  await updateUser(user.id, { unlock: true });
                                  return t('admin.users.unlocked', { username: user.username });
                                })
                              }
                            >
                              {t('admin.users.unlock')}
                            </button>
                          )}
                          {/* Your own password is changed on /account; ending your own sessions would log you out here. */}
                          <button type="button" className="button button--small" disabled={busy || isSelf} onClick={() => setDialog({ kind: 'reset', user })}>
                            {t('admin.users.resetPassword')}
                          </button>
                          <button
                            type="button"
                            className="button button--small"
                            disabled={busy || isSelf || user.activeSessions === 0}
                            onClick={() => setDialog({ kind: 'endSessions', user })}
                          >
                            {t('admin.users.endSessions')}
                          </button>
                          <Link className="button button--small button--quiet" to={`/admin/audit?actor=${encodeURIComponent(user.username)}`}>
                            {t('admin.nav.audit')}
                          </Link>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}

      {dialog?.kind === 'create' && (
        <CreateUserDialog
          areas={areas}
          onCancel={() => setDialog(null)}
          onCreated={(username, password) => {
            setDialog({ kind: 'password', username, password, reason: 'created' });
            users.reload();
          }}
        />
      )}
      {dialog?.kind === 'edit' && (
        <EditUserDialog
          user={dialog.user}
          isSelf={dialog.user.id === me?.id}
          areas={areas}
          onCancel={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            setMessage({ text: t('admin.users.saved', { username: saved.username }) });
            users.reload();
          }}
        />
      )}
      {dialog?.kind === 'grids' && (
        <ServedGridsDialog
          user={dialog.user}
          areas={areas}
          onCancel={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            setMessage({ text: t('admin.grids.saved', { username: saved.username, count: saved.grids.length }) });
            users.reload();
          }}
        />
      )}
      {dialog?.kind === 'reset' && (
        <ConfirmDialog
          title={t('admin.confirm.title')}
          message={t('admin.confirm.resetPassword', { username: dialog.user.username })}
          confirmLabel={t('admin.confirm.resetPasswordOk')}
          cancelLabel={t('admin.confirm.cancel')}
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={() =>
            act(async () => {
              const { temporaryPassword } = await resetUserPassword(dialog.user.id);
              setDialog({ kind: 'password', username: dialog.user.username, password: temporaryPassword, reason: 'reset' });
              return null;
            })
          }
        />
      )}
      {dialog?.kind === 'endSessions' && (
        <ConfirmDialog
          title={t('admin.confirm.title')}
          message={t('admin.confirm.endSessions', { username: dialog.user.username, count: dialog.user.activeSessions })}
          confirmLabel={t('admin.confirm.endSessionsOk')}
          cancelLabel={t('admin.confirm.cancel')}
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={() =>
            act(async () => {
              const { ended } = await endUserSessions(dialog.user.id);
              setDialog(null);
              return t('admin.users.sessionsEnded', { username: dialog.user.username, count: ended });
            })
          }
        />
      )}
      {dialog?.kind === 'password' && (
        <OneTimePasswordDialog username={dialog.username} password={dialog.password} reason={dialog.reason} onClose={() => setDialog(null)} />
      )}
      <BasemapSection />
    </div>
  );
}

/** Under a grid worker's work area: the grids it serves (the first few), or a warning that it serves none. */
function ServedGridsSummary({ grids }: { grids: UserSummary['grids'] }) {
  const { t } = useTranslation();
  if (grids.length === 0) return <span className="tag tag--warn users-table__grids">{t('admin.grids.unlinked')}</span>;
  const shown = grids.slice(0, 3).map((g) => g.name).join('、');
  const more = grids.length > 3 ? ` ${t('admin.grids.more', { count: grids.length - 3 })}` : '';
  return <span className="users-table__grids" title={grids.map((g) => `${g.code} ${g.name}`).join('\n')}>{t('admin.grids.served', { list: shown + more })}</span>;
}
