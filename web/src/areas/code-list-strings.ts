/** Strings of the /areas page's `codeList` section (`areas.codeList.*`). */
export const zhCN = {
  title: '',
};
export const en: typeof zhCN = {
  title: '',
};
