/** Strings of the /areas page's `outlineDerive` section (`areas.outlineDerive.*`). */
export const zhCN = {
  title: '',
};
export const en: typeof zhCN = {
  title: '',
};
