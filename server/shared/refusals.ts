/**
 * The refusal catalogue: every stable code a 4xx reply can carry, with its English text (the
 * reply's `message`, for API users) and its Chinese text (rendered by the web in zh-CN). The web
 * loads both languages into i18next under `refusal.*` and renders the code and parameters itself,
 * so the UI speaks one language at a time.
 *
 * Templates use i18next's syntax: `{{name}}`, and `{{name, number}}` (optionally
 * `number(maximumFractionDigits: 1)`) for figures formatted with thousands separators in the
 * reader's locale. A parameter may itself be a phrase `{ code, params }` (rendered in the same
 * language) or a list (joined the locale's way).
 */

export type RefusalParam = string | number | boolean | null | RefusalPhrase | readonly (string | number | RefusalPhrase)[];
export type RefusalParams = Record<string, RefusalParam>;
export interface RefusalPhrase {
  code: string;
  params?: RefusalParams;
}

interface Entry {
  en: string;
  zh: string;
}

export const REFUSALS = {
  // ---- request validation (TypeBox / Fastify) ----
  'validation.required': { en: '{{field}}: required', zh: '缺少必填项 {{field}}' },
  'validation.type': { en: '{{field}}: must be {{expected}}', zh: '{{field}} 的类型不对（应为 {{expected}}）' },
  'validation.minLength': { en: '{{field}}: must have at least {{limit}} characters', zh: '{{field}} 至少需要 {{limit}} 个字符' },
  'validation.maxLength': { en: '{{field}}: must have at most {{limit}} characters', zh: '{{field}} 最多 {{limit}} 个字符' },
  'validation.minimum': { en: '{{field}}: must be ≥ {{limit}}', zh: '{{field}} 不能小于 {{limit}}' },
  'validation.maximum': { en: '{{field}}: must be ≤ {{limit}}', zh: '{{field}} 不能大于 {{limit}}' },
  'validation.pattern': { en: '{{field}}: does not have the expected form', zh: '{{field}} 的格式不对' },
  'validation.enum': { en: '{{field}}: must be one of {{allowed}}', zh: '{{field}} 只能是 {{allowed}} 之一' },
  'validation.format': { en: '{{field}}: must be a valid {{format}}', zh: '{{field}} 不是有效的 {{format}}' },
  'validation.minItems': { en: '{{field}}: must have at least {{limit}} items', zh: '{{field}} 至少需要 {{limit}} 项' },
  'validation.maxItems': { en: '{{field}}: must have at most {{limit}} items', zh: '{{field}} 最多 {{limit}} 项' },
  'validation.additionalProperties': { en: '{{field}}: unknown field {{property}}', zh: '{{field}} 含有未知字段 {{property}}' },
  'validation.other': { en: '{{field}}: {{detail}}', zh: '{{field}} 无效（{{detail}}）' },
  'request.invalidInput': { en: '{{problem}} ({{route}})', zh: '数据库拒绝了该输入：{{problem}}（{{route}}）' },

  // ---- phrases used inside other refusals ----
  'subject.newGrid': { en: 'geometry', zh: '新网格' },
  'subject.grid': { en: 'grid {{grid}}', zh: '网格 {{grid}}' },
  'subject.gridPart': { en: 'a part of grid {{grid}}', zh: '网格 {{grid}} 的一部分' },
  'subject.mergedGrid': { en: 'the merged grid {{grid}}', zh: '合并后的网格 {{grid}}' },
  'subject.gridVersion': { en: 'version {{version}} of grid {{grid}}', zh: '网格 {{grid}} 的第 {{version}} 版' },
  'subject.restoredGrid': { en: 'the restored grid {{grid}}', zh: '恢复后的网格 {{grid}}' },
  'subject.gridNamed': { en: '{{grid}} ({{name}})', zh: '{{grid}}（{{name}}）' },
  'subject.overlapWith': { en: '{{grid}} ({{name}}) by {{areaSquareMeters, number(maximumFractionDigits: 0)}} m²', zh: '{{grid}}（{{name}}）重叠 {{areaSquareMeters, number(maximumFractionDigits: 0)}} 平方米' },
  'subject.field': { en: 'body/{{field}}', zh: '字段 {{field}}' },

  // ---- auth ----
  'auth.loginRequired': { en: 'Login required', zh: '请先登录' },
  'auth.roleMayNot': { en: 'Your role may not do this', zh: '您的角色无权进行此操作' },
  'auth.changePasswordFirst': { en: 'Change your password first', zh: '请先修改密码' },
  'auth.enrolTotpFirst': { en: 'Set up two-factor authentication first', zh: '请先设置两步验证' },
  'auth.wrongCredentials': { en: 'Wrong username or password', zh: '用户名或密码错误' },
  'auth.locked': { en: 'This account is locked after repeated failed logins until {{until}}', zh: '多次登录失败，该账号已锁定至 {{until}}' },
  'auth.otpRequired': { en: 'Enter the 6-digit code of your authenticator app', zh: '请输入身份验证器应用中的 6 位验证码' },
  'auth.otpWrong': { en: 'The authenticator code is wrong or was already used', zh: '验证码错误或已被使用' },
  'auth.currentPasswordWrong': { en: 'The current password is wrong', zh: '当前密码不正确' },
  'auth.passwordRefused': { en: 'body/newPassword: {{problem}}', zh: '新密码不可用：{{problem}}' },
  'auth.totpSetupFirst': { en: 'Start with /api/auth/totp/setup', zh: '请先开始设置两步验证' },
  'auth.totpCodeMismatch': { en: 'body/code: the code does not match; check the time on the phone and try the next code', zh: '验证码不匹配；请检查手机时间并尝试下一个验证码' },
  'auth.totpCodeWrong': { en: 'body/code: the code does not match', zh: '验证码不匹配' },
  'auth.adminsKeepTotp': { en: 'Admins must keep two-factor authentication', zh: '管理员必须保留两步验证' },
  'password.tooShort': { en: 'the password must have at least {{min}} characters', zh: '密码至少需要 {{min}} 个字符' },
  'password.tooLong': { en: 'the password may have at most 256 characters', zh: '密码最多 256 个字符' },
  'password.classes': { en: 'the password must mix at least 3 of: lower-case letters, upper-case letters, digits, symbols', zh: '密码须包含小写字母、大写字母、数字、符号中的至少 3 类' },
  'password.common': { en: 'the password is one of the most common passwords', zh: '这是最常见的密码之一' },
  'password.containsUsername': { en: 'the password must not contain the username', zh: '密码不得包含用户名' },
  'password.guessable': { en: 'the password is too easy to guess (repeats, sequences, dates, names or common words)', zh: '密码太容易被猜到（重复、顺序、日期、姓名或常用词）' },
  'password.sameAsCurrent': { en: 'choose a password different from the current one', zh: '新密码不能与当前密码相同' },
  'password.usedBefore': { en: 'choose a password different from your last {{count}} passwords', zh: '新密码不能与最近 {{count}} 次用过的密码相同' },

  // ---- users (admin) ----
  'users.usernameTaken': { en: 'body/username: {{username}} is taken', zh: '用户名 {{username}} 已被占用' },
  'users.noArea': { en: 'body/scopeAreaCode: no street or community {{area}}', zh: '没有代码为 {{area}} 的街道或社区' },
  'users.notFound': { en: 'No user {{id}}', zh: '没有编号为 {{id}} 的用户' },
  'users.notYourself': { en: 'You cannot disable yourself or take away your own admin role', zh: '不能停用自己的账号，也不能取消自己的管理员角色' },

  // ---- grids ----
  'grids.figuresFromBuildings': { en: 'body/{{field}}: grid {{grid}} holds {{buildings}} buildings and its figures are their sum; change the buildings instead', zh: '网格 {{grid}} 含 {{buildings, number}} 栋楼，其户数人口为楼栋之和；请改楼栋数据' },
  'grids.noCommunity': { en: 'No community {{community}}', zh: '没有代码为 {{community}} 的社区' },
  'grids.dedicatedKindRequired': { en: 'body/dedicatedKind: a dedicated grid needs its kind (school, hospital, …)', zh: '专属网格需要选择类型（学校、医院……）' },
  'grids.mergeOtherCommunity': { en: 'grids: {{grids}} belong to another community than {{keep}}; only grids of one community can be merged', zh: '网格 {{grids}} 与 {{keep}} 不属于同一社区；只能合并同一社区的网格' },
  'grids.lineOrGeometry': { en: 'body: give either line (the new shared boundary) or geometry (the new outline of a)', zh: '请给出新的共用边界线或网格 a 的新轮廓，二者选一' },
  'grids.differentCommunities': { en: 'grids {{a}} and {{b}} belong to different communities', zh: '网格 {{a}} 与 {{b}} 属于不同社区' },
  'grids.noVersion': { en: 'grid {{grid}} has no version {{version}}', zh: '网格 {{grid}} 没有第 {{version}} 版' },
  'grids.versionRetired': { en: 'version {{version}} of grid {{grid}} is a retired state and cannot be restored', zh: '网格 {{grid}} 的第 {{version}} 版是已撤销状态，不能恢复' },
  'grids.communityHasNoGrids': { en: 'community {{community}} has no grids', zh: '社区 {{community}} 没有网格' },
  'grids.pairOverlap': { en: '{{a}} and {{b}} would overlap by {{areaSquareMeters, number(maximumFractionDigits: 0)}} m²', zh: '{{a}} 与 {{b}} 将重叠 {{areaSquareMeters, number(maximumFractionDigits: 0)}} 平方米' },
  'grids.splitFailed': { en: 'line: cannot split grid {{grid}} with it ({{detail}})', zh: '无法用这条线分割网格 {{grid}}（{{detail}}）' },
  'grids.splitNotAcross': { en: 'line: it does not cut grid {{grid}} in two; draw it from outside the grid, across it, to outside again', zh: '这条线没有把网格 {{grid}} 分成两部分；请从网格外穿过网格画到网格外' },
  'grids.splitTinyPart': { en: 'line: one part would be only {{areaSquareMeters, number(maximumFractionDigits: 1)}} m²; draw the line across the grid where it should be cut', zh: '有一部分只有 {{areaSquareMeters, number(maximumFractionDigits: 1)}} 平方米；请在应分割处横穿网格画线' },
  'grids.notAdjacent': { en: 'grids {{grids}} are not adjacent: together they would make {{parts}} separate pieces', zh: '网格 {{grids}} 不相邻：合并后会成为 {{parts}} 块互不相连的区域' },
  'grids.noSharedBoundary': { en: 'grids {{a}} and {{b}} do not share a boundary', zh: '网格 {{a}} 与 {{b}} 没有共用边界' },
  'grids.boundaryCutFailed': { en: 'line: cannot cut grids {{a}} and {{b}} with it ({{detail}})', zh: '无法用这条线切分网格 {{a}} 和 {{b}}（{{detail}}）' },
  'grids.boundaryCrossOnce': { en: 'line: it must cross the two grids once, from one side of their joint outline to the other (it makes {{parts}} parts)', zh: '边界线须从两网格合并轮廓的一侧一次穿到另一侧（现在分成了 {{parts}} 部分）' },
  'grids.boundaryEmpties': { en: 'the new boundary would leave grid {{grid}} with no area', zh: '新边界会使网格 {{grid}} 没有面积' },
  'grids.boundaryInvalid': { en: 'the new boundary makes an invalid outline; draw it again without crossing itself', zh: '新边界生成的轮廓无效；请重画，不要自相交' },
  'grids.boundaryTiny': { en: 'the new boundary would leave a grid of only {{areaSquareMeters, number(maximumFractionDigits: 1)}} m²', zh: '新边界会留下只有 {{areaSquareMeters, number(maximumFractionDigits: 1)}} 平方米的网格' },
  'grids.outsideYourArea': { en: 'community {{community}} is outside your area {{scope}}', zh: '社区 {{community}} 不在您负责的区域 {{scope}} 内' },
  'grids.areaOutsideYourArea': { en: 'area {{area}} is outside your area {{scope}}', zh: '区域 {{area}} 不在您负责的区域 {{scope}} 内' },
  'grids.namedTwice': { en: 'body: the same grid is named twice', zh: '同一个网格被列了两次' },
  'grids.notFound': { en: 'No grid {{id}}', zh: '没有编号为 {{id}} 的网格' },
  'grids.retired': { en: 'grid {{grid}} was retired and can no longer be changed', zh: '网格 {{grid}} 已撤销，不能再修改' },
  'grids.stale': { en: 'grid {{grid}} was changed{{by}}{{at}} (now version {{currentVersion}}, you read version {{readVersion}}){{fields}}. Reload it and make your change again.', zh: '网格 {{grid}} 已被他人修改（现为第 {{currentVersion}} 版，您读取的是第 {{readVersion}} 版）。请重新加载后再改。' },
  'grids.residentsOrder': { en: 'body: residents 80+ ({{r80}}) ≤ residents 60+ ({{r60}}) ≤ residents ({{residents}}) must hold', zh: '须满足 80 岁以上人口（{{r80, number}}）≤ 60 岁以上人口（{{r60, number}}）≤ 常住人口（{{residents, number}}）' },
  'grids.staffTwicePost': { en: 'account {{user}} already holds another post ({{role}}) in this grid; an account serves a grid once', zh: '账号 {{user}} 已在本网格担任其他职务（{{role}}）；一个账号在一个网格只任一职' },
  'grids.staffNamedTwice': { en: 'body/{{field}}: account {{user}} is named twice; an account serves a grid once', zh: '账号 {{user}} 被列了两次；一个账号在一个网格只任一职' },
  'grids.staffNotWorker': { en: 'body/{{field}}: account {{user}} is not an active grid-worker account', zh: '账号 {{user}} 不是启用中的网格员账号' },
  'grids.notReadable': { en: '{{subject}}: not a readable outline ({{detail}})', zh: '{{subject}}：无法读取轮廓（{{detail}}）' },
  'grids.notPolygon': { en: '{{subject}}: a grid must be a Polygon or MultiPolygon, not {{type}}', zh: '{{subject}}：网格必须是面（Polygon 或 MultiPolygon），而不是 {{type}}' },
  'grids.notChina': { en: '{{subject}}: coordinates ({{x}}, {{y}}) are not WGS84 longitude/latitude in China', zh: '{{subject}}：坐标（{{x}}, {{y}}）不是中国境内的 WGS84 经纬度' },
  'grids.invalidOutline': { en: '{{subject}}: invalid outline, {{reason}}{{where}}', zh: '{{subject}}：轮廓无效（{{reason}}）{{where}}' },
  'grids.overlap': { en: '{{subject}} would overlap grid {{overlaps}}; grids may touch but not overlap', zh: '{{subject}} 与网格 {{overlaps}}；网格可以相邻但不能重叠' },
  'grids.outsideCommunity': {
    en: '{{subject}} would lie outside community {{community}} ({{communityName}}): {{areaSquareMeters, number(maximumFractionDigits: 0)}} m² outside, reaching {{distanceMeters, number(maximumFractionDigits: 0)}} m beyond its outline; a grid must lie inside its community',
    zh: '{{subject}} 超出社区 {{communityName}}（{{community}}）{{areaSquareMeters, number(maximumFractionDigits: 0)}} 平方米，最远超出边界 {{distanceMeters, number(maximumFractionDigits: 0)}} 米；网格必须位于所属社区内',
  },
  'grids.noFreeNumbers': { en: 'community {{community}} has no free {{kind}} grid numbers left', zh: '社区 {{community}} 已没有可用的网格编号' },
  'grids.encodingFailed': { en: 'community {{community}}: {{detail}}', zh: '社区 {{community}}：{{detail}}' },
  'grids.previewChanged': { en: 'the grids of community {{community}} changed since the preview; look at the new preview and apply it', zh: '预览之后社区 {{community}} 的网格有变动；请查看新的预览后再应用' },
  'grids.oneAreaFilter': { en: 'querystring: give exactly one of community, street or district', zh: '请只指定社区、街道或区县中的一个' },
  'grids.noCommunityInArea': { en: 'No community in area {{area}}', zh: '区域 {{area}} 内没有社区' },
  'grids.householdsMaxBelowMin': { en: 'body/{{field}}: must not be below {{other}}', zh: '户数上限不能低于下限（{{field}}）' },
  'grids.communityOrStreet': { en: 'querystring: give either community (12 digits) or street (9 digits)', zh: '请给出社区代码（12 位）或街道代码（9 位）' },
  'grids.reasonRequired': { en: 'body/reason: say why the outline changes (变更原因)', zh: '修改边界须填写变更原因' },
  'grids.noScopeArea': { en: 'scope: no street or community {{area}}', zh: '没有代码为 {{area}} 的街道或社区' },
  'grids.importBlocked': { en: 'nothing was imported: {{errors}} feature errors and {{findings}} blocking findings; first: {{first}}', zh: '未导入任何数据：{{errors, number}} 处要素错误，{{findings, number}} 处阻止导入的问题；第一处：{{first}}' },
  'import.missingColumns': { en: 'file {{file}}: no column for {{missing}}; the header row has {{headers}}', zh: '文件 {{file}} 缺少列 {{missing}}；表头为：{{headers}}' },
  'import.noRows': { en: 'file {{file}}: no rows under the header', zh: '文件 {{file}} 表头下没有数据行' },
  'import.rowProblems': { en: 'file {{file}}: {{count}} row problem(s), nothing was imported — {{first}}', zh: '文件 {{file}} 有 {{count, number}} 处行错误，未导入任何数据 — {{first}}' },
  'staff.noUser': { en: 'No user {{id}}', zh: '没有编号为 {{id}} 的用户' },
  'staff.notGridWorker': { en: 'user {{id}} is not a grid worker: only grid-worker accounts serve grids', zh: '用户 {{id}} 不是网格员：只有网格员账号可以服务网格' },
  'staff.gridTwice': { en: 'body/grids: grid {{grid}} is named twice', zh: '网格 {{grid}} 被列了两次' },
  'staff.noLiveGrid': { en: 'body/grids/{{index}}/code: no live grid {{grid}}', zh: '没有在用的网格 {{grid}}' },
  'staff.hasLeader': { en: 'grid {{grid}} already has a grid leader: change the leader in /plan, or join as a grid manager', zh: '网格 {{grid}} 已有网格长：请在网格规划中更换网格长，或以网格管理员身份加入' },
  'upload.notMultipart': { en: 'body: send the file as multipart/form-data (field "file")', zh: '请以 multipart/form-data 上传文件（字段 "file"）' },
  'upload.noFile': { en: 'body/file: no file was uploaded', zh: '没有上传文件' },
  'transfer.scope': { en: 'body/scope: the street (9 digits) or community (12 digits) to import into', zh: '请指定要导入的街道（9 位）或社区（12 位）代码' },
  'transfer.oneOf': { en: 'body/{{field}}: one of {{allowed}}', zh: '{{field}} 只能是 {{allowed}} 之一' },
  'transfer.mappingNotJson': { en: 'body/mapping: not JSON (expected {"households": "户数", …})', zh: '字段对应不是 JSON（应为 {"households": "户数", …}）' },
  'transfer.mappingNotObject': { en: 'body/mapping: expected an object', zh: '字段对应应为对象' },
  'transfer.mappingUnknownField': { en: 'body/mapping/{{key}}: not a grid field ({{fields}})', zh: '{{key}} 不是网格字段（可用：{{fields}}）' },
  'transfer.mappingValue': { en: 'body/mapping/{{key}}: the name of a field in the file, or "" for none', zh: '{{key}} 应为文件中的字段名，或留空' },

  // ---- facilities ----
  'facilities.badPosition': { en: '{{where}}: {{problem}}', zh: '{{where}}：坐标无效（{{problem}}）' },
  'facilities.outsideDistrict': { en: '{{where}}: ({{x}}, {{y}}) lies {{distanceMeters, number(maximumFractionDigits: 0)}} m outside the district; check the coordinate system (WGS84, GCJ-02 from Amap, BD-09 from Baidu)', zh: '{{where}}：（{{x}}, {{y}}）在本区以外 {{distanceMeters, number(maximumFractionDigits: 0)}} 米；请检查坐标系（WGS84、高德 GCJ-02、百度 BD-09）' },
  'facilities.outsideYourArea': { en: '({{x}}, {{y}}) is outside your area {{scope}}', zh: '（{{x}}, {{y}}）不在您负责的区域 {{scope}} 内' },
  'facilities.notFound': { en: 'No facility {{id}}', zh: '没有编号为 {{id}} 的设施' },
  'facilities.lonLatTogether': { en: 'body: give lon and lat together to move a facility', zh: '移动设施须同时给出经度和纬度' },
  'facilities.radiusDistrictWide': { en: "a type's radius applies to the whole district; your account is limited to area {{scope}}", zh: '设施类型的服务半径适用于全区；您的账号仅限区域 {{scope}}' },
  'facilities.noFile': { en: 'no file: upload a .csv or .xlsx file in the "file" field', zh: '没有文件：请上传 .csv 或 .xlsx 文件' },
  'facilities.importRowErrors': { en: '{{errors}} of {{rows}} rows have errors, so nothing was imported; first: row {{row}}{{column}}: {{detail}}', zh: '{{rows, number}} 行中有 {{errors, number}} 行有错误，未导入任何数据；第一处：第 {{row}} 行{{column}}：{{detail}}' },
  'facilities.retired': { en: 'facility {{id}} was retired on {{date}}; it can no longer be edited', zh: '设施 {{id}} 已于 {{date}} 撤销，不能再编辑' },
  'facilities.alreadyRetired': { en: 'facility {{id}} is already retired (since {{date}})', zh: '设施 {{id}} 已撤销（自 {{date}} 起）' },
  'facilities.stale': { en: 'facility {{id}} was changed by someone else (version {{currentVersion}}, you edited version {{version}}); reload it and edit again', zh: '设施 {{id}} 已被他人修改（现为第 {{currentVersion}} 版，您编辑的是第 {{version}} 版）；请重新加载后再改' },
  'facilities.staleRead': { en: 'facility {{id}} was changed by someone else (version {{currentVersion}}, you read version {{version}}); reload it first', zh: '设施 {{id}} 已被他人修改（现为第 {{currentVersion}} 版，您读取的是第 {{version}} 版）；请先重新加载' },
  'facilities.noType': { en: 'No facility type {{type}}', zh: '没有设施类型 {{type}}' },
  'facilities.missingColumns': { en: 'the table lacks the column(s) {{missing}}; its header row has: {{headers}}', zh: '表格缺少列 {{missing}}；表头为：{{headers}}' },
  'facilities.noRows': { en: 'the table has a header row but no data rows', zh: '表格只有表头，没有数据行' },
  'facilities.tooManyRows': { en: 'the table has {{rows}} rows; at most {{max}} can be imported at once', zh: '表格有 {{rows, number}} 行；一次最多导入 {{max, number}} 行' },
  'facilities.unknownType': { en: 'querystring/type: unknown facility type {{types}}', zh: '未知的设施类型 {{types}}' },
} as const satisfies Record<string, Entry>;

export type RefusalCode = keyof typeof REFUSALS;

export function isRefusalCode(value: unknown): value is RefusalCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REFUSALS, value);
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:,\s*number(?:\(\s*maximumFractionDigits:\s*(\d+)\s*\))?)?\s*\}\}/g;

function isPhrase(value: unknown): value is RefusalPhrase {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as RefusalPhrase).code === 'string';
}

/**
 * Renders a template in `locale` with `lookup` giving the template of a code (its own or of a
 * phrase parameter). The one renderer for the server's English and the web's either language.
 */
export function renderTemplate(template: string, params: RefusalParams, locale: string, lookup: (code: string) => string | undefined): string {
  const render = (value: RefusalParam | undefined): string => {
    if (value === null || value === undefined) return '';
    if (Array.isArray(value)) {
      const items = value.map((v) => render(v as RefusalParam));
      return new Intl.ListFormat(locale, { type: 'conjunction', style: 'narrow' }).format(items);
    }
    if (isPhrase(value)) {
      const inner = lookup(value.code);
      return inner === undefined ? value.code : renderTemplate(inner, value.params ?? {}, locale, lookup);
    }
    return String(value);
  };
  return template.replace(PLACEHOLDER, (whole, name: string, digits?: string) => {
    const value = params[name];
    if (whole.includes('number') && typeof value === 'number') {
      return new Intl.NumberFormat(locale, { maximumFractionDigits: digits === undefined ? 3 : Number(digits) }).format(value);
    }
    return render(value);
  });
}

/** The English message of a refusal (the reply's `message`). */
export function renderRefusal(code: RefusalCode, params: RefusalParams): string {
  return renderTemplate(REFUSALS[code].en, params, 'en-US', (c) => (isRefusalCode(c) ? REFUSALS[c].en : undefined));
}

/** Dotted codes as nested objects, for i18next resources (`refusal.grids.overlap`). */
export function refusalResources(language: 'en' | 'zh'): Record<string, Record<string, string>> {
  const nested: Record<string, Record<string, string>> = {};
  for (const [code, entry] of Object.entries(REFUSALS) as [string, Entry][]) {
    const [group, key] = code.split('.') as [string, string];
    (nested[group] ??= {})[key] = entry[language];
  }
  return nested;
}
