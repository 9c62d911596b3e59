/** A grid's or an area outline's versions (who, when, how, why); each can be shown on the map and restored. */
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/useApi';
import { fetchAreaHistory, fetchHistory, type AreaVersion, type GridFeature, type GridVersion } from './plan-api';

export interface HistoryPanelProps {
  grid: GridFeature;
  shownVersion: number | null;
  busy: boolean;
  onShow(version: GridVersion | null): void;
  onRestore(version: GridVersion): void;
}

export function HistoryPanel({ grid, shownVersion, busy, onShow, onRestore }: HistoryPanelProps) {
  const { t, i18n } = useTranslation();
  const history = useApi((signal) => fetchHistory(grid.properties.id, signal), [grid.properties.id, grid.properties.version]);
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="plan-section" aria-labelledby="plan-history-title">
      <h2 id="plan-history-title" className="plan-section__title">{t('plan.history.title', { code: grid.properties.code })}</h2>
      {history.loading && !history.data && <p className="plan-muted">{t('plan.loading')}</p>}
      <ol className="plan-history">
        {history.data?.versions.map((v) => {
          const current = v.version === history.data!.currentVersion;
          return (
            <li key={v.version} className={`plan-history__item${shownVersion === v.version ? ' is-shown' : ''}`}>
              <div>
                <strong>{t('plan.history.version', { version: v.version })}</strong> · {t(`plan.history.actions.${v.action as 'update'}`, { defaultValue: v.action })}
                {current && <span className="plan-badge">{t('plan.history.current')}</span>}
              </div>
              <div className="plan-muted">{t('plan.history.by', { who: v.changedBy ?? t('plan.history.unknown'), when: when(v.changedAt) })}</div>
              {v.reason && <div>“{v.reason}”</div>}
              <div className="plan-muted">{v.code} · {v.name}</div>
              <div className="plan-muted">{t('plan.history.figures', { households: v.households, residents: v.residents, area: Math.round(v.areaSquareMeters).toLocaleString() })}</div>
              <div className="button-row">
                <button type="button" className="button button--small button--quiet" aria-pressed={shownVersion === v.version} onClick={() => onShow(shownVersion === v.version ? null : v)}>
                  {t('plan.history.show')}
                </button>
                {!current && !v.retired && (
                  <button type="button" className="button button--small" disabled={busy} onClick={() => onRestore(v)} aria-label={`${t('plan.history.restore')} ${t('plan.history.version', { version: v.version })}`}>
                    {t('plan.history.restore')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export interface AreaHistoryPanelProps {
  code: string;
  name: string;
  /** The area's current version: the list reloads when it changes. */
  version: number | null;
  shownVersion: number | null;
  busy: boolean;
  onShow(version: AreaVersion | null): void;
  onRestore(version: AreaVersion, currentVersion: number): void;
}

/** The versions of a street's or community's outline, from area_version. */
export function AreaHistoryPanel({ code, name, version, shownVersion, busy, onShow, onRestore }: AreaHistoryPanelProps) {
  const { t, i18n } = useTranslation();
  const history = useApi((signal) => fetchAreaHistory(code, signal), [code, version]);
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="plan-section" aria-labelledby="plan-area-history-title">
      <h2 id="plan-area-history-title" className="plan-section__title">{t('plan.areaOutline.historyTitle', { name })}</h2>
      {history.loading && !history.data && <p className="plan-muted">{t('plan.loading')}</p>}
      <ol className="plan-history">
        {history.data?.versions.map((v) => {
          const current = v.version === history.data!.currentVersion;
          return (
            <li key={v.version} className={`plan-history__item${shownVersion === v.version ? ' is-shown' : ''}`}>
              <div>
                <strong>{t('plan.history.version', { version: v.version })}</strong> · {t(`plan.areaOutline.actions.${v.action as 'draw'}`, { defaultValue: v.action })}
                {current && <span className="plan-badge">{t('plan.history.current')}</span>}
              </div>
              <div className="plan-muted">{t('plan.history.by', { who: v.changedBy ?? t('plan.history.unknown'), when: when(v.changedAt) })}</div>
              {v.reason && <div>“{v.reason}”</div>}
              <div className="plan-muted">{v.areaSquareMeters === null ? t('plan.areaOutline.noGeometry') : t('plan.areaOutline.area', { area: Math.round(v.areaSquareMeters).toLocaleString() })}</div>
              {v.geometry && (
                <div className="button-row">
                  <button type="button" className="button button--small button--quiet" aria-pressed={shownVersion === v.version} onClick={() => onShow(shownVersion === v.version ? null : v)}>
                    {t('plan.history.show')}
                  </button>
                  {!current && !v.retired && (
                    <button type="button" className="button button--small" disabled={busy} onClick={() => onRestore(v, history.data!.currentVersion)} aria-label={`${t('plan.history.restore')} ${t('plan.history.version', { version: v.version })}`}>
                      {t('plan.history.restore')}
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
