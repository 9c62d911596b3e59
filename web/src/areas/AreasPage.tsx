/**
 * `/areas` (planner, admin): the bureau's own hierarchy. The code list (districts, streets,
 * communities from the national list or the bureau's own), outlines imported from files, and
 * outlines derived from grids, and the walking network (roads) imported under them. Drawing an
 * outline happens in /plan, like grids.
 */
import { useTranslation } from 'react-i18next';
import { RequireRole } from '../app/guards';
import { CodeListSection } from './CodeListSection';
import { OutlineDeriveSection } from './OutlineDeriveSection';
import { OutlineImportSection } from './OutlineImportSection';
import { NetworkImportSection } from './NetworkImportSection';
import './areas.css';

export function AreasPage() {
  const { t } = useTranslation();
  return (
    <RequireRole roles={['planner', 'admin']}>
      <div className="areas-page">
        <header className="areas-page__header">
          <h1>{t('areas.title')}</h1>
          <p>{t('areas.intro')}</p>
        </header>
        <CodeListSection />
        <OutlineImportSection />
        <OutlineDeriveSection />
        <NetworkImportSection />
      </div>
    </RequireRole>
  );
}
