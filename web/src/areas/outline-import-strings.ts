/** Strings of the /areas page's `outlineImport` section (`areas.outlineImport.*`). */
export const zhCN = {
  title: '',
};
export const en: typeof zhCN = {
  title: '',
};
