/** Strings of the empty states every page shows on a fresh install (`emptyState.*`) and the name of the whole (`scope.*`). */
export const zhCN = {
  emptyState: {
    label: '尚缺数据',
    noAreas: '还没有设置行政区划：先选择本单位的区县（或整个市）及其街道、社区。',
    noAreasPublic: '本服务尚未设置辖区，暂无可显示的服务站点。',
    noAreasLink: '前往“区划与边界”选择区县',
    noOutlines: '已有 {{areas}} 个区划，但还没有任何边界：导入边界文件，或在网格规划中绘制。',
    noOutlinesImport: '在“区划与边界”导入边界',
    noOutlinesDraw: '在“网格规划”中绘制',
    noGrids: '还没有网格：导入网格文件或在网格规划中绘制。',
    noGridsLink: '前往“网格规划”',
    noFacilities: '还没有服务设施：从 Excel/CSV 导入设施清单。',
    noFacilitiesPublic: '暂无可显示的服务站点。',
    noFacilitiesLink: '前往“设施管理”导入',
    noPopulation: '人口数据（楼栋）尚未加载，覆盖率和人口数字暂时为零。',
    noIncidents: '还没有事件记录：可在本页导入历史事件，或由网格员上报。',
    noLinkedGrid: '您的账户还没有关联任何网格：请联系管理员将您关联到所服务的网格。',
  },
  scope: {
    city: '全市',
    district: '全区',
    none: '全部',
  },
};
export const en: typeof zhCN = {
  emptyState: {
    label: 'Data still missing',
    noAreas: 'No administrative areas yet: first choose your district (or the whole city) with its streets and communities.',
    noAreasPublic: 'This service has no district set up yet, so there are no service stations to show.',
    noAreasLink: 'Go to Areas to choose the district',
    noOutlines: '{{areas}} areas exist but none has an outline yet: import an outline file, or draw them in grid planning.',
    noOutlinesImport: 'Import outlines on Areas',
    noOutlinesDraw: 'Draw them in grid planning',
    noGrids: 'No grids yet: import a grid file or draw them in grid planning.',
    noGridsLink: 'Go to grid planning',
    noFacilities: 'No service facilities yet: import the facility list from Excel/CSV.',
    noFacilitiesPublic: 'No service stations to show yet.',
    noFacilitiesLink: 'Go to Facilities to import',
    noPopulation: 'Population (buildings) is not loaded yet: coverage and population figures are zero for now.',
    noIncidents: 'No incidents yet: import past incidents on this page, or grid workers report them.',
    noLinkedGrid: 'Your account is not linked to any grid yet: ask the administrator to link you to the grids you serve.',
  },
  scope: {
    city: 'whole city',
    district: 'whole district',
    none: 'all',
  },
};
