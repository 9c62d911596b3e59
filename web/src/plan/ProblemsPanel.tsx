/** The validation panel: every finding of the community (or street), each zooming to its place. */
import { useTranslation } from 'react-i18next';
import type { ValidationFinding, ValidationReport } from './plan-api';
import { FINDING_COLOURS } from './PlanLayers';

export interface ProblemsPanelProps {
  report: ValidationReport | null;
  loading: boolean;
  focused: number | null;
  busy: boolean;
  /** A community is chosen (else only the street can be validated). */
  hasCommunity: boolean;
  onValidateCommunity(): void;
  onValidateStreet(): void;
  onFocus(index: number, finding: ValidationFinding): void;
  onRepair(communityCode: string): void;
}

export function ProblemsPanel(props: ProblemsPanelProps) {
  const { t } = useTranslation();
  const describe = (f: ValidationFinding) => {
    const d = f.detail as Record<string, unknown>;
    const parts: string[] = [];
    if (f.kind === 'sliver') parts.push(t(`plan.problems.detail.sliverOf.${d.of as 'overlap' | 'gap' | 'outside_community'}`));
    if (f.areaSquareMeters !== null) parts.push(t('plan.problems.detail.area', { area: f.areaSquareMeters.toLocaleString() }));
    if (f.kind === 'households_out_of_norm') parts.push(t('plan.problems.detail.households', { households: d.households, min: d.min, max: d.max }));
    if (f.kind === 'too_few_managers') parts.push(t('plan.problems.detail.managers', { managers: d.managers, households: d.households, required: d.required }));
    if (f.kind === 'invalid_geometry') parts.push(String(d.reason));
    if (f.kind === 'outside_community' && typeof d.distanceMeters === 'number') parts.push(t('plan.problems.detail.distance', { distance: Math.round(d.distanceMeters).toLocaleString() }));
    if (f.kind === 'community_without_outline') parts.push(t('plan.problems.detail.withoutOutline'));
    return parts.join(' · ');
  };
  const report = props.report;
  return (
    <section className="plan-section" aria-labelledby="plan-problems-title">
      <h2 id="plan-problems-title" className="plan-section__title">{t('plan.problems.title')}</h2>
      <div className="button-row">
        <button type="button" className="button button--small" onClick={props.onValidateCommunity} disabled={props.busy || !props.hasCommunity}>{t('plan.problems.validateCommunity')}</button>
        <button type="button" className="button button--small" onClick={props.onValidateStreet} disabled={props.busy}>{t('plan.problems.validateStreet')}</button>
      </div>
      {props.loading && <p className="plan-muted">{t('plan.loading')}</p>}
      {report && (
        <p className="plan-summary" role="status">
          {report.findings.length === 0 ? t('plan.problems.none') : t('plan.problems.summary', { errors: report.errorCount, warnings: report.warningCount })}
        </p>
      )}
      <ol className="plan-findings" aria-label={t('plan.problems.title')}>
        {report?.findings.map((f, index) => (
          <li key={index} className={`plan-finding plan-finding--${f.severity}${props.focused === index ? ' is-focused' : ''}`}>
            <span className="plan-finding__swatch" style={{ background: FINDING_COLOURS[f.kind] ?? '#fdd835' }} aria-hidden="true" />
            <div className="plan-finding__text">
              <strong>{t(`plan.problems.kinds.${f.kind}`)}</strong>
              <span className="plan-finding__severity">{t(`plan.problems.severity.${f.severity}`)}</span>
              <div className="plan-muted">{f.gridCodes.filter(Boolean).join('、') || f.communityCode}</div>
              {describe(f) && <div>{describe(f)}</div>}
            </div>
            <div className="plan-finding__actions">
              <button type="button" className="button button--small button--quiet" onClick={() => props.onFocus(index, f)} aria-label={`${t('plan.problems.zoom')}: ${t(`plan.problems.kinds.${f.kind}`)} ${f.gridCodes.filter(Boolean).join(' ')}`}>
                {t('plan.problems.zoom')}
              </button>
              {f.kind === 'sliver' && f.communityCode && (
                <button type="button" className="button button--small" onClick={() => props.onRepair(f.communityCode!)} disabled={props.busy}>{t('plan.problems.repair')}</button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
