/**
 * The tree of district → street → community → grid beside the map. Choosing a node selects it
 * (the page zooms there and shows its figures and problems); the triangles expand a level. A
 * street or community without an outline yet says so, with a button to draw it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AreaFeature } from '../api/endpoints';
import type { AreaFigures, GridFeature } from './plan-api';

export interface AreaTreeProps {
  streets: readonly AreaFeature[];
  /** The communities of the streets loaded so far (a street's are loaded when it is opened). */
  communities: readonly AreaFeature[];
  /** Streets whose communities have arrived. */
  loadedStreets: ReadonlySet<string>;
  figures: ReadonlyMap<string, AreaFigures>;
  grids: readonly GridFeature[];
  selectedStreet: string | null;
  selectedCommunity: string | null;
  selectedGridIds: readonly number[];
  onSelectStreet(code: string): void;
  /** A street was opened: its communities are wanted. */
  onOpenStreet(code: string): void;
  onSelectCommunity(code: string): void;
  onSelectGrid(id: number, additive: boolean): void;
  /** Draw the outline of a street or community that has none yet. */
  onDrawOutline(code: string): void;
}

/**
 * "no outline yet", for an area whose geometry is null: one small badge that is also the button
 * to draw it, so that the name beside it keeps its room in a narrow tree.
 */
function NoOutline({ area, onDraw }: { area: AreaFeature; onDraw(code: string): void }) {
  const { t } = useTranslation();
  if (area.geometry) return null;
  const label = t('plan.areaOutline.drawLabel', { name: area.properties.name });
  return (
    <button type="button" className="plan-badge plan-badge--muted plan-tree__draw" aria-label={label} title={label} onClick={() => onDraw(area.properties.code)}>
      {t('plan.areaOutline.noOutline')}
    </button>
  );
}

export function AreaTree(props: AreaTreeProps) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (code: string) => {
    if (!expanded.has(code)) props.onOpenStreet(code);
    setExpanded((set) => {
      const next = new Set(set);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });
  };
  const isOpen = (code: string) => expanded.has(code) || props.selectedStreet === code || props.selectedCommunity === code;

  return (
    <nav className="plan-tree" aria-label={t('plan.tree.label')}>
      <ul role="tree" aria-label={t('plan.tree.label')}>
        {props.streets.map((street) => {
          const code = street.properties.code;
          const open = isOpen(code);
          const communities = props.communities.filter((c) => c.properties.parentCode === code);
          return (
            <li key={code} role="treeitem" aria-expanded={open} aria-selected={props.selectedStreet === code && !props.selectedCommunity}>
              <div className="plan-tree__row">
                <button type="button" className="plan-tree__toggle" aria-label={t(open ? 'plan.tree.collapse' : 'plan.tree.expand', { name: street.properties.name })} onClick={() => toggle(code)}>
                  {open ? '▾' : '▸'}
                </button>
                <button type="button" className={`plan-tree__node${props.selectedStreet === code && !props.selectedCommunity ? ' is-selected' : ''}`} onClick={() => props.onSelectStreet(code)}>
                  {street.properties.name}
                </button>
                <span className="plan-tree__count">{props.figures.get(code) ? t('plan.tree.grids', { count: props.figures.get(code)!.grids }) : ''}</span>
                <NoOutline area={street} onDraw={props.onDrawOutline} />
              </div>
              {open && (
                <ul role="group">
                  {!props.loadedStreets.has(code) && <li className="plan-muted">{t('plan.loading')}</li>}
                  {communities.map((community) => {
                    const ccode = community.properties.code;
                    const selected = props.selectedCommunity === ccode;
                    return (
                      <li key={ccode} role="treeitem" aria-expanded={selected} aria-selected={selected && props.selectedGridIds.length === 0}>
                        <div className="plan-tree__row">
                          <span className="plan-tree__toggle" aria-hidden="true">{selected ? '▾' : '▸'}</span>
                          <button type="button" className={`plan-tree__node${selected && props.selectedGridIds.length === 0 ? ' is-selected' : ''}`} onClick={() => props.onSelectCommunity(ccode)}>
                            {community.properties.name}
                          </button>
                          <span className="plan-tree__count">{props.figures.get(ccode) ? t('plan.tree.grids', { count: props.figures.get(ccode)!.grids }) : ''}</span>
                          <NoOutline area={community} onDraw={props.onDrawOutline} />
                        </div>
                        {selected && (
                          <ul role="group">
                            {props.grids.length === 0 && <li className="plan-muted">{t('plan.tree.noGrids')}</li>}
                            {props.grids.map((grid) => (
                              <li key={grid.properties.id} role="treeitem" aria-selected={props.selectedGridIds.includes(grid.properties.id)}>
                                <button
                                  type="button"
                                  className={`plan-tree__node plan-tree__grid${props.selectedGridIds.includes(grid.properties.id) ? ' is-selected' : ''}`}
                                  onClick={(event) => props.onSelectGrid(grid.properties.id, event.shiftKey || event.ctrlKey || event.metaKey)}
                                >
                                  <span className="plan-code">{grid.properties.code.slice(12)}</span> {grid.properties.name}
                                </button>
                              </li>
                            ))}
                          </ul>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
