import { useTranslation } from 'react-i18next';
import { fetchClientConfig } from '../api/endpoints';
import { useApi } from '../api/useApi';
import './demo-banner.css';

/**
 * A slim strip above every page while the server runs in demo mode (GET /api/config): the data
 * are synthetic and the demo accounts are public, so nobody should take either for real.
 */
export function DemoBanner() {
  const { t } = useTranslation();
  const config = useApi((signal) => fetchClientConfig(signal), []);
  if (!config.data?.demoMode) return null;
  return (
    <aside className="demo-banner" aria-label={t('demoBanner.label')}>
      {t('demoBanner.text')}
    </aside>
  );
}
