/**
 * i18next for the web app: Chinese (zh-CN) first, English available. The choice is remembered in
 * localStorage and mirrored on <html lang> so that screen readers and fonts follow it.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
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

export function setLanguage(language: Language): void {
  void i18n.changeLanguage(language);
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

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false }, // React escapes already
  initAsync: false, // resources are bundled: be ready before the first render
});
document.documentElement.lang = i18n.language;
document.title = i18n.t('app.documentTitle');

export default i18n;
