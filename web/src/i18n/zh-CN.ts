import * as accountStrings from '../account/strings';
import * as adminStrings from '../admin/strings';
import * as areasStrings from '../areas/strings';
import * as emptyStateStrings from '../app/empty-state-strings';

import * as coverageStrings from '../coverage/strings';
import * as planStrings from '../plan/strings';
import * as setupStrings from '../setup/strings';
import * as gridStaffStrings from '../plan/staff-strings';
import * as populationStrings from '../plan/population-strings';
import * as registerStrings from '../population/strings';
import * as incidentsStrings from '../incidents/strings';
import * as incidentReportStrings from '../incident-report/strings';
import * as exportsStrings from '../exports/strings';
import * as importsStrings from '../imports-ui/strings';
import { refusalResources } from '../../../server/shared/refusals';
/** Chinese (the default). `en.ts` must have exactly the same keys: its type is this one's. */
export const zhCN = {
  app: {
    name: '网格',
    nameLatin: 'Wangge',
    documentTitle: '网格 Wangge · 社区服务站点地图',
    loadingPage: '正在加载页面…',
  },
  header: {
    menu: '菜单',
    navigation: '主导航',
    languageGroup: '界面语言',
    login: '登录',
    logout: '退出登录',
    loggingOut: '正在退出…',
    user: '{{name}}（{{role}}）',
  },
  nav: {
    map: '服务地图',
  },
  lang: {
    zh: '中文',
    en: 'English',
  },
  roles: {
    admin: '系统管理员',
    planner: '网格规划员',
    analyst: '政法委分析员',
    grid_worker: '网格员',
  },
  login: {
    title: '工作人员登录',
    intro: '网格规划、事件分析和网格员上报需要登录。公众查看服务站点地图无需登录。',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    failed: '登录失败：{{message}}',
    loggedIn: '已登录：{{name}}',
    mustChangePassword: '您仍在使用初始密码，请尽快修改。',
    mustEnrolTotp: '您的角色需要启用两步验证（身份验证器应用），请先完成绑定。',
    otp: '验证码（身份验证器应用中的 6 位数字）',
    demoNote: '演示模式：各角色的演示账号和密码会在服务器启动时打印。',
    backToMap: '返回服务地图',
  },
  notFound: {
    title: '页面不存在',
    back: '返回服务地图',
  },
  errors: {
    network: '无法连接服务器，请检查网络后重试。',
    badRequest: '请求有误：{{message}}',
    notFound: '未找到：{{message}}',
    server: '服务器错误（{{status}}）：{{message}}',
    retry: '重试',
  },
  publicMap: {
    title: '社区服务站点地图',
    intro: '查找身边的党群服务中心、养老、助餐、卫生等服务站点。',
    mapLabel: '服务站点地图',
    panelLabel: '查找服务站点',
    collapsePanel: '收起面板',
    expandPanel: '展开面板',
    loadingMap: '正在加载地图…',
    loadingAreas: '正在加载街道和社区边界…',
    loadingFacilities: '正在加载服务站点…',
    facilitiesShown: '符合条件的站点共 {{count}} 处',
    zoomInForFacilities: '请放大地图查看站点。',
    errorConfig: '地图配置加载失败，使用离线底图：{{message}}',
    errorAreas: '街道和社区边界加载失败：{{message}}',
    errorFacilities: '服务站点加载失败：{{message}}',
    errorTypes: '设施类型加载失败：{{message}}',
  },
  search: {
    label: '搜索站点名称或地址',
    placeholder: '输入名称或地址中的关键词',
    clear: '清除搜索',
    searching: '正在搜索…',
    results: '搜索结果',
    count: '找到 {{count}} 处站点',
    none: '没有找到与“{{q}}”匹配的站点。',
    more: '仅列出前 {{shown}} 处，请输入更具体的关键词。',
  },
  filters: {
    title: '筛选',
    types: '设施类型',
    all: '全选',
    none: '清空',
    service: '服务项目',
    anyService: '全部服务项目',
    noneSelected: '未选择任何设施类型，地图上不显示站点。',
  },
  legend: {
    title: '图例',
    street: '街道边界',
    community: '社区/村边界',
  },
  nearest: {
    title: '最近的服务站点',
    type: '查找类型',
    anyType: '任意类型',
    myLocation: '我的位置',
    pickPoint: '在地图上选点',
    cancelPick: '取消选点',
    pickHint: '请点击地图上的任意位置。',
    locating: '正在获取您的位置…',
    searching: '正在查找最近的站点…',
    results: '最近的站点',
    fromPoint: '所选位置：东经 {{lon}}°，北纬 {{lat}}°',
    fromMyLocation: '您的位置：东经 {{lon}}°，北纬 {{lat}}°',
    distance: '{{distance}} 米',
    walking: '步行约 {{minutes}} 分钟',
    walkingNetwork: '沿道路步行 {{meters}} 米，约 {{minutes}} 分钟',
    networkNote: '第一个数字为直线距离；步行路程和时间沿道路计算（按每小时 4 公里），蓝线为步行路线。',
    withinCircle: '在其服务圈内',
    estimateNote: '距离为直线距离；步行时间按每分钟约 67 米估算（15 分钟≈1000 米），实际路程可能更远。',
    none: '没有找到这类站点。',
    clear: '清除',
    geoUnsupported: '此浏览器不支持定位，请在地图上选点。',
    geoDenied: '未获准使用位置信息，请在地图上选点。',
    geoFailed: '无法获取您的位置（{{message}}），请在地图上选点。',
    rank: '第 {{rank}} 近：{{name}}',
    pointMarker: '所选位置',
  },
  detail: {
    back: '返回列表',
    type: '类型',
    address: '地址',
    services: '服务项目',
    openingHours: '开放时间',
    phone: '电话',
    notProvided: '暂无',
    loading: '正在加载…',
    gone: '该站点已不再公开显示。',
    loadFailed: '站点详情加载失败：{{message}}',
    showServiceArea: '15分钟服务圈',
    serviceAreaLoading: '正在计算服务圈…',
    serviceAreaShown: '服务圈半径 {{radius}} 米（步行约 {{minutes}} 分钟，按直线距离）',
    walkAreaShown: '沿道路步行 {{minutes}} 分钟可达的范围（步行 {{meters}} 米）',
    showOnMap: '在地图上定位',
    fromChosenPoint: '距所选位置 {{distance}} 米，步行约 {{minutes}} 分钟（直线估算）',
  },
  map: {
    zoomIn: '放大',
    zoomOut: '缩小',
    resetBearing: '指北',
  },
  coverage: coverageStrings.zhCN,
  plan: planStrings.zhCN,
  incidents: incidentsStrings.zhCN,
  incidentReport: incidentReportStrings.zhCN,
  exports: exportsStrings.zhCN,
  imports: importsStrings.zhCN,
  account: accountStrings.zhCN,
  admin: adminStrings.zhCN,
  setup: setupStrings.zhCN,
  gridStaff: gridStaffStrings.zhCN,
  population: populationStrings.zhCN,
  register: registerStrings.zhCN,
  areas: areasStrings.zhCN,
  ...emptyStateStrings.zhCN,
  refusal: refusalResources('zh'),
};

/** The shape every language file has. */
export type Translation = typeof zhCN;
