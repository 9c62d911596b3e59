import 'i18next';
import type { Translation } from './zh-CN';

// Translation keys are checked at compile time against the Chinese file.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Translation };
  }
}
