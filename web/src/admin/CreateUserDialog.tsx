import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { createUser, type Role } from '../api/security';
import { describeError } from '../i18n/describe-error';
import type { AreaDirectory } from './area-directory';
import { Modal } from './Modal';
import { NameAndRoleFields } from './NameAndRoleFields';
import { ScopePicker } from './ScopePicker';
import { ErrorMessage } from '../app/ErrorMessage';
import { enterDoesNotSubmit } from '../app/enter-safe';

/** The server's rule for usernames (server/modules/users/routes.ts). */
const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,64}$/;

/** New staff account; on success the caller shows the one-time password. */
export function CreateUserDialog({ areas, onCreated, onCancel }: { areas: AreaDirectory; onCreated(username: string, temporaryPassword: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('grid_worker');
  const [scope, setScope] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const usernameBad = username !== '' && !USERNAME_PATTERN.test(username);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!USERNAME_PATTERN.test(username)) {
      setError(t('admin.create.usernameInvalid'));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const reply = await createUser({ username, displayName: displayName.trim(), role, scopeAreaCode: scope });
      onCreated(username, reply.temporaryPassword);
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status >= 400 && failure.status < 500 ? t('admin.create.failed', { message: failure.message }) : describeError(failure, t));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal title={t('admin.create.title')} onDismiss={onCancel}>
      <form className="admin-form" onSubmit={submit} onKeyDown={enterDoesNotSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-username`} className="field-label">
            {t('admin.create.username')}
          </label>
          <input
            id={`${id}-username`}
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            aria-describedby={`${id}-username-hint`}
            aria-invalid={usernameBad}
            value={username}
            onChange={(e) => setUsername(e.target.value.trim())}
          />
          <p id={`${id}-username-hint`} className={usernameBad ? 'field-error' : 'note'}>
            {t('admin.create.usernameHint')}
          </p>
        </div>
        <NameAndRoleFields id={id} displayName={displayName} onDisplayName={setDisplayName} role={role} onRole={setRole} />
        <ScopePicker value={scope} onChange={setScope} areas={areas} />
        <ErrorMessage message={error} />
        <div className="button-row modal__buttons">
          <button type="button" className="button" onClick={onCancel} disabled={submitting}>
            {t('admin.create.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={submitting || !username || !displayName.trim()}>
            {submitting ? t('admin.create.submitting') : t('admin.create.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
