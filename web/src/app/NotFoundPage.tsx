import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="page page--narrow">
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/">{t('notFound.back')}</Link>
      </p>
    </div>
  );
}

/** Shown while a page's code is on its way (each page is a chunk of its own). */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <p className="page muted" role="status">
      {t('app.loadingPage')}
    </p>
  );
}
