import { useTranslation } from 'react-i18next';
import type { Role } from '../api/security';
import { ROLE_CHOICES } from './roles';

interface Props {
  /** Prefix for the inputs' ids (a useId() of the form). */
  id: string;
  displayName: string;
  onDisplayName: (value: string) => void;
  role: Role;
  onRole: (value: Role) => void;
  /** An admin may not change their own role. */
  roleLocked?: boolean;
}

/** The name and role fields that creating and editing an account share. */
export function NameAndRoleFields({ id, displayName, onDisplayName, role, onRole, roleLocked = false }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-name`} className="field-label">
          {t('admin.edit.displayName')}
        </label>
        <input id={`${id}-name`} autoComplete="off" maxLength={100} value={displayName} onChange={(e) => onDisplayName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`} className="field-label">
          {t('admin.edit.role')}
        </label>
        <select id={`${id}-role`} value={role} disabled={roleLocked} onChange={(e) => onRole(e.target.value as Role)}>
          {ROLE_CHOICES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
