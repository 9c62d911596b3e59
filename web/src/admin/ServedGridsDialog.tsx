import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { UserSummary } from '../api/security';
import { useApi } from '../api/useApi';
import { ErrorMessage } from '../app/ErrorMessage';
import { describeError } from '../i18n/describe-error';
import type { AreaDirectory } from './area-directory';
import { Modal } from './Modal';
import { ScopePicker } from './ScopePicker';
import { fetchGridsOfArea, setServedGrids, type ServedGrid } from './served-grids-api';

type Choice = Pick<ServedGrid, 'code' | 'name'> & { role: 'leader' | 'manager' };

/**
 * The grids a grid-worker account serves: those it serves now (each can be removed), and the
 * grids of a street or community to add. A grid joined here links the post there in the
 * account's name, or adds one as grid manager (a grid leader is linked in /plan's grid form).
 * Saving applies the whole list at once; the account's reach follows immediately.
 */
export function ServedGridsDialog({ user, areas, onSaved, onCancel }: { user: UserSummary; areas: AreaDirectory; onSaved(user: UserSummary): void; onCancel(): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [chosen, setChosen] = useState<Choice[]>(user.grids.map((g) => ({ code: g.code, name: g.name, role: g.role })));
  const [area, setArea] = useState<string | null>(user.grids[0]?.communityCode ?? user.scopeAreaCode);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const grids = useApi((signal) => fetchGridsOfArea(area!, signal), [area], Boolean(area));
  const isChosen = (code: string) => chosen.some((c) => c.code === code);
  const toggle = (choice: Choice, on: boolean) => setChosen((list) => (on ? [...list, choice] : list.filter((c) => c.code !== choice.code)));

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const served = new Set(user.grids.map((g) => g.code));
      // The role matters only for a grid joined now; one served already keeps its post.
      onSaved(await setServedGrids(user.id, chosen.map((c) => (served.has(c.code) ? { code: c.code } : { code: c.code, role: c.role }))));
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status >= 400 && failure.status < 500 ? t('admin.grids.failed', { message: failure.message }) : describeError(failure, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={t('admin.grids.title', { name: user.displayName, username: user.username })} onDismiss={onCancel}>
      <div className="admin-form served-grids">
        <p className="note">{t('admin.grids.intro')}</p>
        <h3 className="served-grids__heading">{t('admin.grids.current', { count: chosen.length })}</h3>
        {chosen.length === 0 ? (
          <p className="warning">{t('admin.grids.none')}</p>
        ) : (
          <ul className="served-grids__list" aria-label={t('admin.grids.current', { count: chosen.length })}>
            {chosen.map((c) => (
              <li key={c.code}>
                <span translate="no">{c.code}</span> {c.name} · {t(`admin.grids.roles.${c.role}`)}
                <button type="button" className="button button--small button--quiet" aria-label={t('admin.grids.remove', { code: c.code })} onClick={() => toggle(c, false)}>
                  {t('admin.grids.removeShort')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <h3 className="served-grids__heading">{t('admin.grids.add')}</h3>
        <ScopePicker value={area} onChange={setArea} areas={areas} labels={{ street: t('admin.grids.street'), community: t('admin.grids.community'), none: t('admin.grids.chooseStreet') }} />
        {!area && <p className="note">{t('admin.grids.pickArea')}</p>}
        {area && grids.loading && !grids.data && <p className="muted">{t('admin.grids.loading')}</p>}
        {Boolean(grids.error) && <p className="error">{describeError(grids.error, t)}</p>}
        {area && grids.data && (
          grids.data.features.length === 0 ? <p className="note">{t('admin.grids.noGrids')}</p> : (
            <fieldset className="served-grids__choices">
              <legend className="visually-hidden">{t('admin.grids.add')}</legend>
              {grids.data.features.map((f) => {
                const p = f.properties;
                const served = isChosen(p.code);
                return (
                  <label key={p.code} className="form-checkbox">
                    <input
                      type="checkbox"
                      checked={served}
                      onChange={(e) => toggle({ code: p.code, name: p.name, role: 'manager' }, e.target.checked)}
                    />
                    <span>
                      <span translate="no">{p.code}</span> {p.name}
                      <span className="muted"> · {t('admin.grids.staff', { leader: p.gridLeader?.name ?? t('admin.grids.noLeader'), managers: p.managerCount })}</span>
                    </span>
                  </label>
                );
              })}
            </fieldset>
          )
        )}
        <ErrorMessage message={error} />
        <div className="button-row modal__buttons">
          <button type="button" className="button" onClick={onCancel} disabled={saving}>{t('admin.edit.cancel')}</button>
          <button type="button" className="button button--primary" onClick={save} disabled={saving} id={`${id}-save`}>
            {saving ? t('admin.edit.saving') : t('admin.grids.save')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
