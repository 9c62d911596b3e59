import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/describe-error';
import { streetOf, type AreaDirectory } from './area-directory';

/**
 * An account's work area: the whole district, one street, or one community/village of it
 * (value: null, a 9-digit street code or a 12-digit community code).
 */
export function ScopePicker({ value, onChange, areas, disabled, labels }: {
  value: string | null;
  onChange(code: string | null): void;
  areas: AreaDirectory;
  disabled?: boolean;
  /** The two selects' labels and the "no street" option, when the choice is not an account's work area. */
  labels?: { street: string; community: string; none: string };
}) {
  const { t } = useTranslation();
  const id = useId();
  const street = value ? streetOf(value) : '';
  const { loadCommunities } = areas;
  useEffect(() => {
    if (street) loadCommunities(street);
  }, [street, loadCommunities]);
  const communities = street ? areas.communities[street] : undefined;

  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-street`} className="field-label">
          {labels?.street ?? t('admin.scope.street')}
        </label>
        <select id={`${id}-street`} value={street} disabled={disabled || !areas.streets} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{areas.streets ? (labels?.none ?? t('admin.scope.wholeDistrict')) : t('admin.scope.loading')}</option>
          {areas.streets?.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name}（{s.code}）
            </option>
          ))}
        </select>
      </div>
      {street && (
        <div className="field">
          <label htmlFor={`${id}-community`} className="field-label">
            {labels?.community ?? t('admin.scope.community')}
          </label>
          <select id={`${id}-community`} value={value && value.length === 12 ? value : ''} disabled={disabled || !communities} onChange={(e) => onChange(e.target.value || street)}>
            <option value="">{communities ? t('admin.scope.wholeStreet') : t('admin.scope.loading')}</option>
            {communities?.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}（{c.code}）
              </option>
            ))}
          </select>
        </div>
      )}
      {Boolean(areas.error) && <p className="error">{t('admin.scope.loadFailed', { message: describeError(areas.error, t) })}</p>}
    </>
  );
}
