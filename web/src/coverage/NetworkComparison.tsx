/**
 * Walking network against the straight-line circle, per street: how much the circle overstates
 * who can reach a station on foot. Shown only when a walking network can be used; otherwise the
 * note says why the figures are straight-line.
 */
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useApi } from '../api/useApi';
import { formatCount, formatShare } from './format';
import type { CoverageResult, Scenario } from './coverage-api';

interface Row {
  code: string;
  name: string;
  population: number;
  networkCovered: number;
  networkShare: number | null;
  straightLineCovered: number;
  straightLineShare: number | null;
  overstatement: number | null;
}
interface Comparison { district: Row; streets: Row[] }

export function NetworkComparison(props: { scenario: Scenario; result: CoverageResult | null }) {
  const { t } = useTranslation();
  const network = props.result?.distanceMethod === 'network';
  const comparison = useApi(
    (signal) => api.post<Comparison>('/api/coverage/comparison', { facilityTypes: props.scenario.facilityTypes, population: props.scenario.population }, { signal }),
    [props.scenario.facilityTypes, props.scenario.population],
    network,
  );
  if (!props.result) return null;
  if (!network) return <p className="coverage-muted" data-testid="distance-method">{t('coverage.network.straightLine', { note: props.result.distanceNote ?? '' })}</p>;
  const c = comparison.data;
  return (
    <div data-testid="network-comparison">
      <p className="coverage-muted" data-testid="distance-method">{t('coverage.network.byNetwork')}</p>
      {comparison.loading && !c && <p className="coverage-muted">{t('coverage.summary.loading')}</p>}
      {c && (
        <table className="network-comparison-table" style={{ width: "100%", borderCollapse: "collapse", fontSize: "0.85rem" }}>
          <thead>
            <tr><th>{t('coverage.network.street')}</th><th>{t('coverage.network.walk')}</th><th>{t('coverage.network.circle')}</th><th>{t('coverage.network.over')}</th></tr>
          </thead>
          <tbody>
            {[c.district, ...c.streets].map((r, i) => (
              <tr key={r.code} style={i === 0 ? { fontWeight: 600 } : undefined}>
                <td>{r.name}</td>
                <td title={formatCount(r.networkCovered)}>{formatShare(r.networkShare)}</td>
                <td title={formatCount(r.straightLineCovered)}>{formatShare(r.straightLineShare)}</td>
                <td>{r.overstatement === null ? '—' : `+${(r.overstatement * 100).toFixed(1)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
