/**
 * i18next for the web app: Chinese (zh-CN) first, English available. The choice is remembered in
 * localStorage and mirrored on <html lang> so that screen readers and fonts follow it.
 *
 * The Chinese strings come with the app; the English ones are a chunk of their own, fetched only
 * when English is chosen (before the first render if it was chosen on an earlier visit: `i18nReady`).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { PAGE_STRINGS, type PageNamespace } from './pages';
import { zhCN } from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'wangge.language';

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    if (value && (LANGUAGES as readonly string[]).includes(value)) return value as Language;
  } catch {
    // Storage can be disabled (private mode, strict policies): fall back to Chinese.
  }
  return 'zh-CN';
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

let english: Promise<void> | null = null;
/** Fetches a language's strings if they are not there yet (only English is ever fetched). */
function loadLanguage(language: Language): Promise<void> {
  if (language === 'zh-CN') return Promise.resolve();
  // Deep-merged: the refusal strings (api/refusal-text.ts) may be there already.
  english ??= import('./en').then(({ en }) => void i18n.addResourceBundle('en', 'translation', en, true, true), (error: unknown) => {
    english = null; // try again at the next switch
    throw error;
  });
  return english;
}

const pageStrings = new Map<PageNamespace, Promise<void>>();
/**
 * Fetches the strings of these pages' namespaces (both languages) once; a lazily loaded page
 * waits for them with its code (app/App.tsx), so it never shows a bare key.
 */
export function loadPageStrings(...namespaces: PageNamespace[]): Promise<void> {
  return Promise.all(
    namespaces.map((namespace) => {
      let loading = pageStrings.get(namespace);
      if (!loading) {
        loading = PAGE_STRINGS[namespace]().then(
          ({ zhCN: zh, en }) => {
            i18n.addResourceBundle('zh-CN', 'translation', { [namespace]: zh }, true, true);
            i18n.addResourceBundle('en', 'translation', { [namespace]: en }, true, true);
          },
          (error: unknown) => {
            pageStrings.delete(namespace); // try again next time
            throw error;
          },
        );
        pageStrings.set(namespace, loading);
      }
      return loading;
    }),
  ).then(() => undefined);
}

/** A page's module and its strings, fetched side by side: for React.lazy. */
export function withPageStrings<T>(page: Promise<T>, ...namespaces: PageNamespace[]): Promise<T> {
  return Promise.all([page, loadPageStrings(...namespaces)]).then(([module]) => module);
}

export function setLanguage(language: Language): void {
  // Strings that could not be fetched (offline) leave the language as it was.
  void loadLanguage(language).then(() => i18n.changeLanguage(language), () => undefined);
}

i18n.on('languageChanged', (language) => {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but still switched for this visit.
  }
  document.documentElement.lang = language;
  document.title = i18n.t('app.documentTitle');
});

const initialLanguage = storedLanguage();
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN } },
  // English until its strings arrive would show Chinese: start in Chinese, switch once loaded.
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false }, // React escapes already
  initAsync: false, // resources are bundled: be ready before the first render
});
document.documentElement.lang = i18n.language;
document.title = i18n.t('app.documentTitle');

/** Resolves once the remembered language's strings are in (at once for Chinese). */
export const i18nReady: Promise<void> =
  initialLanguage === 'zh-CN' ? Promise.resolve() : loadLanguage(initialLanguage).then(() => i18n.changeLanguage(initialLanguage)).then(() => undefined, () => undefined);

export default i18n;
