/**
 * The validation panel: the findings of the community (or street) grouped by kind, errors first and
 * then the largest groups, each group ranked worst first (only its first few shown until asked),
 * each finding zooming to its place.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../i18n/format-number';
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
    if (f.areaSquareMeters !== null) parts.push(t('plan.problems.detail.area', { area: formatCount(f.areaSquareMeters) }));
    if (f.kind === 'households_out_of_norm') parts.push(t('plan.problems.detail.households', { households: d.households, min: d.min, max: d.max }));
    if (f.kind === 'too_few_managers') parts.push(t('plan.problems.detail.managers', { managers: d.managers, households: d.households, required: d.required }));
    if (f.kind === 'invalid_geometry') parts.push(String(d.reason));
    if (f.kind === 'outside_community' && typeof d.distanceMeters === 'number') parts.push(t('plan.problems.detail.distance', { distance: formatCount(d.distanceMeters) }));
    if (f.kind === 'community_without_outline') parts.push(t('plan.problems.detail.withoutOutline'));
    return parts.join(' · ');
  };
  const report = props.report;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const groups = groupFindings(report?.findings ?? []);
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
      <div className="plan-finding-groups">
        {groups.map((group) => {
          const shown = expanded.has(group.kind) ? group.items : group.items.slice(0, GROUP_PREVIEW);
          return (
            <details key={group.kind} className="plan-finding-group" open={group.severity === 'error' || groups.length === 1}>
              <summary>
                <span className="plan-finding__swatch" style={{ background: FINDING_COLOURS[group.kind] ?? '#fdd835' }} aria-hidden="true" />
                <strong>{t(`plan.problems.kinds.${group.kind}` as never)}</strong>{' '}
                <span className="plan-finding__severity">{t(`plan.problems.severity.${group.severity}`)}</span>{' '}
                <span className="plan-muted">{t('plan.problems.groupCount', { count: group.items.length, formatted: formatCount(group.items.length) })}</span>
              </summary>
      <ol className="plan-findings" aria-label={t(`plan.problems.kinds.${group.kind}` as never)}>
        {shown.map(({ finding: f, index }) => (
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
              {group.items.length > shown.length && (
                <button type="button" className="button button--small button--quiet" onClick={() => setExpanded(new Set([...expanded, group.kind]))}>
                  {t('plan.problems.showAll', { count: group.items.length - shown.length })}
                </button>
              )}
            </details>
          );
        })}
      </div>
    </section>
  );
}

/** How many findings of a group show before "show all". */
const GROUP_PREVIEW = 8;

/** How bad a finding is within its kind: the larger, the worse (area, households off the norm, managers missing). */
function badness(f: ValidationFinding): number {
  const d = f.detail as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  if (f.kind === 'households_out_of_norm') return Math.max(n(d.min) - n(d.households), n(d.households) - n(d.max));
  if (f.kind === 'too_few_managers') return n(d.required) - n(d.managers);
  if (f.kind === 'outside_community' && typeof d.distanceMeters === 'number') return d.distanceMeters;
  return f.areaSquareMeters ?? 0;
}

/** Findings by kind: errors first, then the largest groups; within a group the worst first. */
export function groupFindings(findings: readonly ValidationFinding[]) {
  const byKind = new Map<string, { kind: string; severity: 'error' | 'warning'; items: { finding: ValidationFinding; index: number }[] }>();
  findings.forEach((finding, index) => {
    let group = byKind.get(finding.kind);
    if (!group) byKind.set(finding.kind, (group = { kind: finding.kind, severity: finding.severity as 'error' | 'warning', items: [] }));
    if (finding.severity === 'error') group.severity = 'error';
    group.items.push({ finding, index });
  });
  const groups = [...byKind.values()];
  for (const g of groups) g.items.sort((a, b) => badness(b.finding) - badness(a.finding));
  return groups.sort((a, b) => (a.severity === b.severity ? b.items.length - a.items.length : a.severity === 'error' ? -1 : 1));
}
