import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacilityTypeCode, FacilityTypeInfo } from '../api/endpoints';

/** A facility type's name in the current language (its code until the types have loaded). */
export function useFacilityTypeName(types: readonly FacilityTypeInfo[] | null): (code: FacilityTypeCode) => string {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  return useCallback(
    (code) => {
      const info = types?.find((t) => t.code === code);
      if (!info) return code;
      return english ? info.nameEn : info.nameZh;
    },
    [types, english],
  );
}
