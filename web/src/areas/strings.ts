/**
 * The /areas page's strings (`areas.*`): the administrative hierarchy of the bureau's own
 * district or city — code lists, outlines imported, derived from grids or drawn. Each section
 * keeps its strings in a file of its own, spread in here.
 */
import * as codeList from './code-list-strings';
import * as outlineImport from './outline-import-strings';
import * as outlineDerive from './outline-derive-strings';
import * as networkImport from './network-import-strings';

export const zhCN = {
  title: '行政区划与边界',
  intro: '设置本单位的区、街道（镇、乡）和社区（村）：从全国统计用区划代码中选择或上传自己的代码表，再导入、由网格合成或绘制边界。',
  codeList: codeList.zhCN,
  outlineImport: outlineImport.zhCN,
  outlineDerive: outlineDerive.zhCN,
  networkImport: networkImport.zhCN,
};

export const en: typeof zhCN = {
  title: 'Administrative areas and outlines',
  intro: 'Set up your own districts, streets (towns, townships) and communities (villages): choose them from the national statistical division codes or upload your own code list, then import outlines, derive them from grids or draw them.',
  codeList: codeList.en,
  outlineImport: outlineImport.en,
  outlineDerive: outlineDerive.en,
  networkImport: networkImport.en,
};
