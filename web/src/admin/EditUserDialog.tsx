import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { updateUser, type Role, type UserChanges, type UserSummary } from '../api/security';
import { describeError } from '../i18n/describe-error';
import type { AreaDirectory } from './area-directory';
import { ConfirmDialog, Modal } from './Modal';
import { NameAndRoleFields } from './NameAndRoleFields';
import { ScopePicker } from './ScopePicker';
import { ErrorMessage } from '../app/ErrorMessage';
import { enterDoesNotSubmit } from '../app/enter-safe';

/**
 * Change an account's name, role, work area and whether it is active. Only the fields that
 * changed are sent; disabling (which ends the account's sessions) is confirmed first.
 */
export function EditUserDialog({ user, isSelf, areas, onSaved, onCancel }: { user: UserSummary; isSelf: boolean; areas: AreaDirectory; onSaved(user: UserSummary): void; onCancel(): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [scope, setScope] = useState<string | null>(user.scopeAreaCode);
  const [isActive, setIsActive] = useState(user.isActive);
  const [confirming, setConfirming] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const changes: UserChanges = {};
  if (displayName.trim() !== user.displayName) changes.displayName = displayName.trim();
  if (role !== user.role) changes.role = role;
  if (scope !== user.scopeAreaCode) changes.scopeAreaCode = scope;
  if (isActive !== user.isActive) changes.isActive = isActive;
  const changed = Object.keys(changes).length > 0;

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      onSaved(await updateUser(user.id, changes));
    } catch (failure) {
      setConfirming(false);
      setError(failure instanceof ApiError && failure.status >= 400 && failure.status < 500 ? t('admin.edit.failed', { message: failure.message }) : describeError(failure, t));
    } finally {
      setSaving(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!changed) {
      setError(t('admin.edit.noChange'));
      return;
    }
    if (changes.isActive === false) setConfirming(true);
    else void save();
  };

  return (
    <Modal title={t('admin.edit.title', { username: user.username })} onDismiss={onCancel}>
      <form className="admin-form" onSubmit={submit} onKeyDown={enterDoesNotSubmit} noValidate>
        <NameAndRoleFields id={id} displayName={displayName} onDisplayName={setDisplayName} role={role} onRole={setRole} roleLocked={isSelf} />
        <ScopePicker value={scope} onChange={setScope} areas={areas} />
        <label className="form-checkbox">
          <input type="checkbox" checked={isActive} disabled={isSelf} onChange={(e) => setIsActive(e.target.checked)} />
          {t('admin.edit.isActive')}
        </label>
        {isSelf && <p className="note">{t('admin.edit.selfNote')}</p>}
        <ErrorMessage message={error} />
        <div className="button-row modal__buttons">
          <button type="button" className="button" onClick={onCancel} disabled={saving}>
            {t('admin.edit.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={saving || !displayName.trim()}>
            {saving ? t('admin.edit.saving') : t('admin.edit.save')}
          </button>
        </div>
      </form>
      {confirming && (
        <ConfirmDialog
          title={t('admin.confirm.title')}
          message={t('admin.confirm.deactivate', { username: user.username })}
          confirmLabel={t('admin.confirm.deactivateOk')}
          cancelLabel={t('admin.confirm.cancel')}
          busy={saving}
          onConfirm={() => void save()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </Modal>
  );
}
