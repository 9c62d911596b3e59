import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { i18nReady } from './i18n';
import { App, preloadPage } from './app/App';
import { fetchClientConfig } from './api/endpoints';
import { checkSession } from './app/session';

// Who is logged in, the client configuration (basemap, demo mode) and the opened page's code are
// asked for at once, before React renders: a staff page's map waits for all three.
void checkSession().catch(() => {});
void fetchClientConfig().catch(() => {});
preloadPage(window.location.pathname);

// The first render waits for the strings of the language chosen on an earlier visit (English is
// fetched; Chinese is already here), so the page never flashes in the other language.
void i18nReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
