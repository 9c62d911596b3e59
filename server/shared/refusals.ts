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
  'validation.minLength': { en: '{{field}}: must have at least {{limit, number}} characters', zh: '{{field}} 至少需要 {{limit, number}} 个字符' },
  'validation.maxLength': { en: '{{field}}: must have at most {{limit, number}} characters', zh: '{{field}} 最多 {{limit, number}} 个字符' },
  'validation.minimum': { en: '{{field}}: must be ≥ {{limit, number}}', zh: '{{field}} 不能小于 {{limit, number}}' },
  'validation.maximum': { en: '{{field}}: must be ≤ {{limit, number}}', zh: '{{field}} 不能大于 {{limit, number}}' },
  'validation.pattern': { en: '{{field}}: does not have the expected form', zh: '{{field}} 的格式不对' },
  'validation.enum': { en: '{{field}}: must be one of {{allowed}}', zh: '{{field}} 只能是 {{allowed}} 之一' },
  'validation.format': { en: '{{field}}: must be a valid {{format}}', zh: '{{field}} 不是有效的 {{format}}' },
  'validation.minItems': { en: '{{field}}: must have at least {{limit, number}} items', zh: '{{field}} 至少需要 {{limit, number}} 项' },
  'validation.maxItems': { en: '{{field}}: must have at most {{limit, number}} items', zh: '{{field}} 最多 {{limit, number}} 项' },
  'validation.additionalProperties': { en: '{{field}}: unknown field {{property}}', zh: '{{field}} 含有未知字段 {{property}}' },
  'validation.other': { en: '{{field}}: {{detail}}', zh: '{{field}} 无效（{{detail}}）' },
  'request.notInstant': { en: "{{where}}: '{{text}}' is not a real date (YYYY-MM-DD) or ISO date-time (YYYY-MM-DDThh:mm[:ss][Z|±hh:mm])", zh: '{{where}}：{{text}} 不是有效的日期或日期时间（如 2026-03-01 或 2026-03-01T08:30+08:00）' },
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
  'distance.meters': { en: '{{meters, number(maximumFractionDigits: 0)}} m', zh: '{{meters, number(maximumFractionDigits: 0)}} 米' },
  'distance.kilometers': { en: '{{kilometers}} km', zh: '{{kilometers}} 公里' },
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
  'auth.crossSite': { en: 'a {{method}} from another site ({{header}}: {{value}}) is refused', zh: '拒绝来自其他网站的请求（{{header}}: {{value}}）' },
  'auth.unknownOrigin': { en: 'a {{method}} from an unknown origin ({{origin}}) is refused', zh: '拒绝来源不明的请求（{{origin}}）' },
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
    en: '{{subject}} would lie outside community {{community}} ({{communityName}}): {{areaSquareMeters, number(maximumFractionDigits: 0)}} m² outside, reaching {{distance}} beyond its outline; a grid must lie inside its community',
    zh: '{{subject}} 超出社区 {{communityName}}（{{community}}）{{areaSquareMeters, number(maximumFractionDigits: 0)}} 平方米，最远超出边界 {{distance}}；网格必须位于所属社区内',
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
  'facilities.noFile': { en: 'no file: upload a table (.csv, .xlsx, .xls and .ods) in the "file" field', zh: '没有文件：请上传表格（.csv、.xlsx、.xls 或 .ods）' },
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
  // ---- incidents ----
  'status.reported': { en: 'reported', zh: '上报' },
  'status.accepted': { en: 'accepted', zh: '受理/立案' },
  'status.dispatched': { en: 'dispatched', zh: '派遣' },
  'status.handling': { en: 'handling', zh: '处置' },
  'status.verifying': { en: 'verifying', zh: '核查' },
  'status.closed': { en: 'closed', zh: '结案' },
  'status.returned': { en: 'returned', zh: '退回' },
  'incidents.notFound': { en: 'No incident {{id}}', zh: '没有编号为 {{id}} 的事件' },
  'incidents.notInYourGrids': { en: 'No incident {{id}} in your grids', zh: '您的网格中没有编号为 {{id}} 的事件' },
  'incidents.notInYourArea': { en: 'No incident {{id}} in your area', zh: '您负责的区域内没有编号为 {{id}} 的事件' },
  'incidents.unknownCategory': { en: "body/category: unknown category '{{category}}' (one of {{allowed}})", zh: '未知的事件类别 {{category}}（可选：{{allowed}}）' },
  'incidents.notSubCategory': { en: "body/subCategory: '{{subCategory}}' is not a sub-category of {{category}} (one of {{allowed}})", zh: '{{subCategory}} 不是 {{category}} 的子类（可选：{{allowed}}）' },
  'incidents.sourceRequired': { en: 'body/source: say where the incident comes from ({{allowed}})', zh: '请说明事件来源（{{allowed}}）' },
  'incidents.workerSourceOnly': { en: "grid workers report with source 'grid_worker' only", zh: '网格员只能以“网格员”为来源上报' },
  'incidents.noGridAssigned': { en: 'you are not assigned to any grid: ask a planner to link your account to your grid', zh: '您还没有分配网格：请规划员把您的账号关联到您的网格' },
  'incidents.pointNotYourGrid': { en: 'the point lies in grid {{grid}} {{name}}, which is not one of your grids', zh: '该位置在网格 {{grid}} {{name}} 内，不是您的网格' },
  'incidents.noCommunity': { en: 'no community', zh: '任何社区以外' },
  'incidents.pointOutsideYourArea': { en: 'the point lies in {{community}}, outside your area {{scope}}', zh: '该位置在{{community}}，不在您负责的区域 {{scope}} 内' },
  'incidents.ticketUsed': { en: 'body/externalId: ticket number {{externalId}} is already used; choose another', zh: '工单号 {{externalId}} 已被使用；请换一个' },
  'incidents.personalDataRole': { en: "the role '{{role}}' may not see reporters' personal data", zh: '您的角色无权查看报告人的个人信息' },
  'incidents.noReporter': { en: 'Incident {{id}} has no reporter on record', zh: '事件 {{id}} 没有报告人记录' },
  'incidents.transitionImpossible': { en: "an incident in state '{{from}}' cannot go to '{{to}}'{{next}}", zh: '处于“{{from}}”的事件不能转为“{{to}}”{{next}}' },
  'incidents.possibleNext': { en: ' (possible: {{next}})', zh: '（可转为：{{next}}）' },
  'incidents.finalState': { en: " ('{{from}}' is final)", zh: '（“{{from}}”是最终状态）' },
  'incidents.transitionRole': { en: "the role '{{role}}' may not move an incident from '{{from}}' to '{{to}}' (roles: {{roles}})", zh: '您的角色无权把事件从“{{from}}”转为“{{to}}”' },
  'incidents.notYourGridIncident': { en: 'this incident is not in one of your grids', zh: '该事件不在您的网格内' },
  'incidents.noteRequired': { en: "body/note: moving from '{{from}}' to '{{to}}' needs a note saying why", zh: '从“{{from}}”转为“{{to}}”须填写说明' },
  'incidents.noPhotoFile': { en: 'no file: send the photo as a multipart field', zh: '没有文件：请以 multipart 字段上传照片' },
  'incidents.photoTooLarge': { en: 'the photo has {{megabytes}} MB; at most 10 MB', zh: '照片有 {{megabytes}} MB；最大 10 MB' },
  'incidents.photoType': { en: '{{file}}: not a JPEG, PNG or WebP image', zh: '{{file}} 不是 JPEG、PNG 或 WebP 图片' },
  'incidents.noPhoto': { en: 'Incident {{id}} has no photo {{photo}}', zh: '事件 {{id}} 没有编号为 {{photo}} 的照片' },
  'incidents.hexTogether': { en: 'querystring: give hexSizeMeters, hexI and hexJ together', zh: '六边形的大小与行列号须同时给出' },
  'incidents.noTableFile': { en: 'no file: send the table as a multipart field "file"', zh: '没有文件：请以 multipart 字段 "file" 上传表格' },
  'incidents.crsOneOf': { en: "crs: '{{crs}}' is not one of {{allowed}}", zh: '坐标系 {{crs}} 无效（可选：{{allowed}}）' },
  'incidents.sourceOneOf': { en: "source: '{{source}}' is not one of {{allowed}}", zh: '来源 {{source}} 无效（可选：{{allowed}}）' },
  'incidents.unknownCodes': { en: 'querystring/{{name}}: unknown {{unknown}} (one of {{allowed}})', zh: '{{name}} 含未知代码 {{unknown}}（可选：{{allowed}}）' },
  'incidents.badPosition': { en: '{{where}}/lon: {{problem}}', zh: '坐标无效（{{problem}}）' },
  'incidents.theDistrict': { en: 'the district', zh: '本区' },
  'incidents.outsideDistrict': { en: 'the point ({{x}}, {{y}}) is outside {{district}}, {{distance}} from its boundary: incidents can only be reported inside it', zh: '位置（{{x}}, {{y}}）在{{district}}以外，距边界 {{distance}}：只能上报区内的事件' },
  'incidents.occurredNotInstant': { en: "body/occurredAt: '{{text}}' is not a real ISO 8601 date-time with offset, e.g. 2026-03-01T08:30:00+08:00", zh: '发生时间 {{text}} 不是带时区的 ISO 8601 日期时间（如 2026-03-01T08:30:00+08:00）' },
  'incidents.occurredFuture': { en: 'body/occurredAt: the incident cannot occur in the future', zh: '发生时间不能晚于现在' },
  'incidents.periodBackwards': { en: '{{prefix}}/to: the period ends ({{to}}) before or when it starts ({{from}})', zh: '时段的结束（{{to}}）不晚于开始（{{from}}）' },
  'incidents.periodTooLong': { en: '{{prefix}}/to: a period can be at most 20 years', zh: '时段最长 20 年' },
  'incidents.missingColumns': { en: 'file {{file}}: missing column(s) {{missing}}; the header row has: {{headers}}', zh: '文件 {{file}} 缺少列 {{missing}}；表头为：{{headers}}' },
  'incidents.noImportJob': { en: 'No import job {{id}}', zh: '没有编号为 {{id}} 的导入任务' },
  'incidents.importRowErrors': { en: '{{count}} row error(s): nothing was imported', zh: '有 {{count, number}} 处行错误：未导入任何数据' },
  'incidents.importFailed': { en: 'the import failed on the server; nothing was imported', zh: '导入在服务器上失败；未导入任何数据' },
  'incidents.noRows': { en: 'file {{file}}: the table has a header but no rows', zh: '文件 {{file}} 只有表头，没有数据行' },
  'import.nulByte': { en: 'file {{file}}, line {{line}}: contains a NUL character (U+0000), which cannot be stored (a UTF-16 file? save it as UTF-8); nothing was imported', zh: '文件 {{file}} 第 {{line}} 行含有空字符（U+0000），无法保存（是 UTF-16 文件吗？请另存为 UTF-8）；未导入任何数据' },
  // ---- setup, tiles, coverage ----
  'setup.done': { en: 'Set-up is done: an administrator exists, and every set-up link is void. Log in instead.', zh: '初始设置已完成：已有管理员，所有设置链接均已失效。请直接登录。' },
  'setup.linkInvalid': { en: 'This set-up link is not valid: copy the whole link that `npm start` printed, or restart Wangge for a new one', zh: '该设置链接无效：请复制启动时打印的完整链接，或重启网格以获取新链接' },
  'setup.linkUsed': { en: 'This set-up link was already used', zh: '该设置链接已被使用' },
  'setup.linkExpired': { en: 'This set-up link has expired (links last 24 hours): restart Wangge to print a new one', zh: '该设置链接已过期（有效期 24 小时）：请重启网格以打印新链接' },
  'setup.displayNameRequired': { en: 'body/displayName: give the name people know you by', zh: '请填写姓名' },
  'setup.passwordRefused': { en: 'body/password: {{problem}}', zh: '密码不可用：{{problem}}' },
  'setup.usernameTaken': { en: 'body/username: {{username}} is taken', zh: '用户名 {{username}} 已被占用' },
  'tiles.noSuchTile': { en: 'params: tile {{z}}/{{x}}/{{y}} does not exist (x and y run from 0 to {{max}} at zoom {{z}})', zh: '瓦片 {{z}}/{{x}}/{{y}} 不存在（缩放级别 {{z}} 时行列号为 0 至 {{max}}）' },
  'tiles.busy': { en: 'Too many map tiles are being drawn at once; tile {{layer}} {{z}}/{{x}}/{{y}} waited {{seconds}} s. Try again shortly.', zh: '同时绘制的地图瓦片过多；瓦片 {{layer}} {{z}}/{{x}}/{{y}} 已等待 {{seconds}} 秒。请稍后重试。' },
  'tiles.unknownCodes': { en: 'querystring/{{name}}: unknown {{unknown}} (one of {{allowed}})', zh: '{{name}} 含未知代码 {{unknown}}（可选：{{allowed}}）' },
  'coverage.notLiveFacility': { en: '{{where}}/removedFacilityIds/{{index}}: facility {{id}} is not a live facility of the counting types', zh: '设施 {{id}} 不是计入类型中的在用设施' },
  'coverage.noNetwork': { en: '{{where}}/distance: no walking network can be used: {{detail}}', zh: '无法使用步行网络：{{detail}}' },
  'coverage.noNetworkLoaded': { en: 'no network is loaded (import one at /coverage → 步行网络 or POST /api/network/import)', zh: '尚未导入步行网络（可在“服务覆盖 → 步行网络”导入）' },
  'coverage.candidatesRequired': { en: 'body/candidatePoints: give the uploaded candidate sites (at least one) when candidates is "uploaded"', zh: '选择“上传的候选点”时，请至少上传一个候选点' },
  'coverage.exhaustiveTooLarge': { en: 'body/compareExhaustive: the exhaustive comparison is offered for k ≤ {{max}}; k is {{k}}', zh: '穷举比较仅适用于 k ≤ {{max}}；当前 k 为 {{k}}' },
  'coverage.badProposal': { en: '{{where}}/proposals/{{index}}: {{problem}}', zh: '第 {{index}} 个拟建点坐标无效（{{problem}}）' },
  'coverage.noFile': { en: 'no file: upload a .csv or .xlsx file in the "file" field', zh: '没有文件：请上传 .csv 或 .xlsx 文件' },
  'coverage.lonLatColumns': { en: 'the table needs the columns 经度 (lon) and 纬度 (lat); its header row has: {{headers}}', zh: '表格需要“经度”和“纬度”两列；表头为：{{headers}}' },
  'coverage.noRun': { en: 'No siting run {{id}} of yours (runs are kept for 30 minutes)', zh: '没有您的选址计算 {{id}}（计算结果保留 30 分钟）' },
  // ---- population ----
  'population.missingColumns': { en: 'file {{file}}, row 1: no column for {{missing}}; the header row has {{headers}}', zh: '文件 {{file}} 第 1 行：缺少列 {{missing}}；表头为：{{headers}}' },
  'population.nothing': { en: 'nothing', zh: '（空）' },
  'population.noHeader': { en: 'file {{file}}: the register has no header row', zh: '文件 {{file}}：登记表没有表头行' },
  'population.noRows': { en: 'file {{file}}: no rows under the header', zh: '文件 {{file}} 表头下没有数据行' },
  'population.rowProblems': { en: 'file {{file}}: {{count}} row problem(s), nothing was imported — {{first}}', zh: '文件 {{file}} 有 {{count, number}} 处行错误，未导入任何数据 — {{first}}' },
  'population.notRegisterBuilding': { en: "assignments[{{index}}]: building {{building}} is not a building of the register's communities", zh: '楼栋 {{building}} 不属于登记表所涉社区' },
  'population.addressNotInRegister': { en: 'assignments[{{index}}]: the address {{address}} is not in the register', zh: '地址 {{address}} 不在登记表中' },
  'population.fileType': { en: 'file {{file}}: a register is read from .xlsx or .csv', zh: '文件 {{file}}：登记表须为 .xlsx 或 .csv' },
  'population.tooManyRows': { en: 'the register has more than {{max}} rows; split it', zh: '登记表超过 {{max, number}} 行；请拆分后导入' },
  'population.csvUnreadable': { en: 'the CSV could not be read near line {{line}} ({{detail}})', zh: '无法读取 CSV 文件（第 {{line}} 行附近，{{detail}}）' },
  'population.notMultipart': { en: 'body: send the register as multipart/form-data (field "file", .xlsx or .csv)', zh: '请以 multipart/form-data 上传登记表（字段 "file"，.xlsx 或 .csv）' },
  'population.emptyFile': { en: 'file {{file}}: it is empty', zh: '文件 {{file}} 是空的' },
  'population.dateRequired': { en: 'body/date: the day ages are reckoned on, as YYYY-MM-DD', zh: '请给出计算年龄的日期（如 2026-03-01）' },
  'population.assignmentsNotJson': { en: 'body/assignments: not JSON (expected [{"addressKey": "…", "buildingId": 12}])', zh: '地址归楼不是 JSON' },
  'population.assignmentsNotArray': { en: 'body/assignments: expected an array of {addressKey, buildingId}', zh: '地址归楼应为数组' },
  'population.assignmentShape': { en: 'body/assignments[{{index}}]: expected {addressKey: string, buildingId: positive integer}', zh: '第 {{index}} 条地址归楼格式不对（应含地址和楼栋编号）' },
  'population.noJob': { en: 'No register import job {{id}} of yours (jobs are kept for 30 minutes)', zh: '没有您的登记表导入任务 {{id}}（任务保留 30 分钟）' },
  'population.outsideYourArea': { en: 'community {{community}} is outside your area {{scope}}', zh: '社区 {{community}} 不在您负责的区域 {{scope}} 内' },
  // ---- walking network ----
  'network.badLine': { en: 'file {{file}}, feature {{feature}}: invalid geometry: a line needs at least two points with longitude/latitude', zh: '文件 {{file}} 第 {{feature}} 个要素几何无效：线至少需要两个经纬度点' },
  'network.unknownClass': { en: 'body/defaultClass: unknown road class {{roadClass}}; one of {{allowed}}', zh: '未知的道路等级 {{roadClass}}（可选：{{allowed}}）' },
  'network.noWalkable': { en: 'file {{file}}: no walkable lines ({{lines}} lines; classes found: {{classes}}). Walkable classes are the OpenStreetMap highway values in the road class table (residential, footway, path, …); a file without a class field can name one with defaultClass', zh: '文件 {{file}} 中没有可步行的道路（共 {{lines, number}} 条线；道路等级：{{classes}}）。可步行等级为道路等级表中的 OSM 道路类型；没有等级字段的文件可指定默认等级' },
  'network.unusableLines': { en: 'file {{file}}: {{count}} unusable line(s): {{list}}', zh: '文件 {{file}} 中有 {{count, number}} 条无法使用的线：{{list}}' },
  'network.tooManyRoads': { en: 'file {{file}}: {{count}} roads; at most {{max}} can be imported at once', zh: '文件 {{file}} 有 {{count, number}} 条道路；一次最多导入 {{max, number}} 条' },
  // ---- buildings ----
  'buildings.noSuchColumn': { en: 'body/columns: no such column in {{file}}: {{columns}}', zh: '文件 {{file}} 中没有列 {{columns}}' },
  'buildings.missingColumns': { en: 'file {{file}}: missing column(s) {{missing}} (found: {{headers}}); name them in "columns" if they are there under another name', zh: '文件 {{file}} 缺少列 {{missing}}（现有：{{headers}}）；若以其他名称存在，请在列对应中指定' },
  'buildings.noBuildings': { en: 'file {{file}}: it holds no buildings', zh: '文件 {{file}} 中没有楼栋' },
  'buildings.geometryUnreadable': { en: 'file {{file}}: a geometry could not be read ({{detail}})', zh: '文件 {{file}} 中有几何无法读取（{{detail}}）' },
  'buildings.importErrors': { en: 'nothing was imported: {{count}} error(s); first: {{unit}} {{row}}{{column}}: {{detail}}', zh: '未导入任何数据：{{count, number}} 处错误；第一处：{{unit}} {{row}}{{column}}：{{detail}}' },
  'buildings.atColumn': { en: ', column {{column}}', zh: '，列 {{column}}' },
  'buildings.notFound': { en: 'No building {{id}}', zh: '没有编号为 {{id}} 的楼栋' },
  'buildings.retired': { en: 'building {{id}} was retired and can no longer be changed', zh: '楼栋 {{id}} 已撤销，不能再修改' },
  'buildings.outsideYourArea': { en: 'building {{id}} is outside your area {{scope}}', zh: '楼栋 {{id}} 不在您负责的区域 {{scope}} 内' },
  'buildings.stale': { en: 'building {{id}} was changed meanwhile (now version {{currentVersion}}, you read version {{version}}); reload it and make your change again', zh: '楼栋 {{id}} 已被他人修改（现为第 {{currentVersion}} 版，您读取的是第 {{version}} 版）；请重新加载后再改' },
  'buildings.wholeNumber': { en: 'body/{{field}}: a whole number ≥ 0', zh: '{{field}} 须为不小于 0 的整数' },
  'buildings.over60MoreThanResidents': { en: 'body/residents60Plus: 60+ ({{r60}}) is more than the residents ({{residents}})', zh: '60 岁以上人口（{{r60, number}}）多于常住人口（{{residents, number}}）' },
  'buildings.over80MoreThan60': { en: 'body/residents80Plus: 80+ ({{r80}}) is more than 60+ ({{r60}})', zh: '80 岁以上人口（{{r80, number}}）多于 60 岁以上人口（{{r60, number}}）' },
  'buildings.outsideGrids': { en: 'the point ({{x}}, {{y}}) lies outside every grid', zh: '位置（{{x}}, {{y}}）不在任何网格内' },
  'buildings.pointOutsideYourArea': { en: 'the point lies outside your area {{scope}}', zh: '该位置不在您负责的区域 {{scope}} 内' },
  'buildings.badCode': { en: 'body/buildingCode: "{{code}}" is not a building code (00001–99999)', zh: '“{{code}}”不是楼栋编码（00001–99999）' },
  'buildings.codeUsed': { en: 'building code {{code}} is already used by building {{other}} in community {{community}}', zh: '楼栋编码 {{code}} 已被社区 {{community}} 的楼栋 {{other}} 使用' },
  'buildings.figuresFileType': { en: 'file {{file}}: grid figures are read from .csv, .xlsx, .xls and .ods', zh: '文件 {{file}}：网格数据须为 .csv、.xlsx、.xls 或 .ods' },
  'buildings.figuresMissingColumns': { en: 'file {{file}}: missing column(s) {{missing}} (found: {{headers}})', zh: '文件 {{file}} 缺少列 {{missing}}（现有：{{headers}}）' },
  'buildings.noRows': { en: 'file {{file}}: it holds no rows', zh: '文件 {{file}} 中没有数据行' },
  'buildings.figuresErrors': { en: 'nothing was imported: {{count}} error(s); first: row {{row}}, column {{column}}: {{detail}}', zh: '未导入任何数据：{{count, number}} 处错误；第一处：第 {{row}} 行，列 {{column}}：{{detail}}' },
  'buildings.noJob': { en: 'No building import job {{id}} of yours (jobs are kept for 30 minutes)', zh: '没有您的楼栋导入任务 {{id}}（任务保留 30 分钟）' },
  'buildings.noHistory': { en: 'No history for building {{id}}', zh: '楼栋 {{id}} 没有历史记录' },
  'buildings.none': { en: 'none', zh: '无' },
  // ---- basemap ----
  'basemap.none': { en: 'no basemap is installed', zh: '尚未安装底图' },
  'basemap.tooLarge': { en: '{{file}}: larger than the {{max}} a basemap may have (BASEMAP_MAX_BYTES)', zh: '{{file}} 超过底图允许的最大 {{max}}' },
  'basemap.empty': { en: '{{file}}: the file is empty', zh: '{{file}} 是空文件' },
  'basemap.notTiles': { en: '{{file}}: not an MBTiles file (no SQLite header) nor a PMTiles file (no PMTiles magic)', zh: '{{file}} 既不是 MBTiles 文件也不是 PMTiles 文件' },
  'basemap.sqliteUnopenable': { en: '{{file}}: a SQLite file that cannot be opened ({{detail}})', zh: '{{file}} 是无法打开的 SQLite 文件（{{detail}}）' },
  'basemap.sqliteNoTable': { en: '{{file}}: a SQLite file without the "{{table}}" table of MBTiles', zh: '{{file}} 缺少 MBTiles 的“{{table}}”表' },
  'basemap.noTiles': { en: '{{file}}: an MBTiles file with no tiles', zh: '{{file}} 是不含瓦片的 MBTiles 文件' },
  'basemap.badFormat': { en: '{{file}}: metadata format "{{format}}" is not a tile format Wangge can serve (pbf, png, jpg, webp)', zh: '{{file}} 的瓦片格式“{{format}}”无法提供（支持 pbf、png、jpg、WebP）' },
  'basemap.mbtilesUnreadable': { en: '{{file}}: not a readable MBTiles file ({{detail}})', zh: '{{file}} 不是可读取的 MBTiles 文件（{{detail}}）' },
  'basemap.pmtilesTruncated': { en: '{{file}}: a truncated PMTiles file (its {{section}} ends at byte {{end}}, the file has {{bytes}})', zh: '{{file}} 是不完整的 PMTiles 文件（{{section}} 结束于第 {{end}} 字节，文件只有 {{bytes}} 字节）' },
  'basemap.pmtilesTileType': { en: '{{file}}: a PMTiles file of an unknown tile type ({{type}})', zh: '{{file}} 的瓦片类型未知（{{type}}）' },
  'basemap.pmtilesUnreadable': { en: '{{file}}: not a readable PMTiles file ({{detail}})', zh: '{{file}} 不是可读取的 PMTiles 文件（{{detail}}）' },
  'basemap.fontMissing': { en: 'font {{font}}: {{file}} is not installed on the server (Debian package fonts-noto-cjk)', zh: '服务器未安装字体 {{font}}（{{file}}）' },
  'basemap.badGlyphRange': { en: 'range: {{range}} is not a glyph range (256 code points from a multiple of 256, e.g. 0-255 or 19968-20223)', zh: '{{range}} 不是有效的字形范围（如 0-255 或 19968-20223）' },
  'basemap.fontNotServed': { en: 'fontstack: none of "{{fontstack}}" is served here (fonts: {{fonts}})', zh: '此处不提供字体“{{fontstack}}”（可用：{{fonts}}）' },
  'basemap.notMultipart': { en: 'body: not a multipart upload ({{detail}})', zh: '不是 multipart 上传（{{detail}}）' },
  'basemap.noFile': { en: 'no file: send the MBTiles or PMTiles file as the multipart field "file"', zh: '没有文件：请以 multipart 字段 "file" 上传 MBTiles 或 PMTiles 文件' },
  'basemap.noSuchTile': { en: 'params: tile {{z}}/{{x}}/{{y}} does not exist', zh: '瓦片 {{z}}/{{x}}/{{y}} 不存在' },
  'basemap.glyphSuffix': { en: 'range: {{range}} (glyph ranges end in .pbf)', zh: '{{range}}：字形范围须以 .pbf 结尾' },
  // ---- the one import pipeline (GDAL readers, uploads, coordinate systems) ----
  'imports.noGdal': { en: 'GDAL (ogr2ogr, ogrinfo) is not installed on the server, so files cannot be read; the administrator installs it with: {{command}}', zh: '服务器未安装 GDAL，无法读取文件；管理员可用以下命令安装：{{command}}' },
  'imports.noGdalTool': { en: "GDAL's {{tool}} is not installed on the server; the administrator installs it with: {{command}}", zh: '服务器未安装 GDAL 的 {{tool}}；管理员可用以下命令安装：{{command}}' },
  'imports.epsgUnknown': { en: 'body/crs: {{code}} is not a coordinate system PROJ knows (e.g. EPSG:4527 for CGCS2000 3° Gauss-Krüger zone 39)', zh: '坐标系 {{code}} 无法识别（例如 CGCS2000 高斯-克吕格 3° 带第 39 带为 EPSG:4527）' },
  'imports.projectedMetres': { en: "file {{file}}: its coordinates (e.g. {{x}}, {{y}}) are not longitude/latitude in degrees but projected metres; choose the projection's EPSG code (e.g. EPSG:4527 for CGCS2000 3° Gauss-Krüger zone 39, EPSG:4547 for zone 114°E without zone prefix)", zh: '文件 {{file}} 的坐标（如 {{x}}, {{y}}）不是以度为单位的经纬度，而是投影坐标（米）；请选择该投影的 EPSG 代码（如 CGCS2000 高斯-克吕格 3° 带第 39 带为 EPSG:4527，不带带号的 114°E 中央经线为 EPSG:4547）' },
  'table.noSheetWithRows': { en: 'file {{file}}: the workbook has no sheet with rows', zh: '文件 {{file}}：工作簿中没有含数据的工作表' },
  'table.firstSheetEmpty': { en: 'file {{file}}: the first sheet is empty', zh: '文件 {{file}}：第一个工作表是空的' },
  'tokens.tooManyFailures': { en: 'Too many failed access-token attempts from this address; try again in {{seconds}} s', zh: '此地址访问令牌验证失败次数过多；请 {{seconds}} 秒后再试' },
  'tokens.malformed': { en: '{{detail}}', zh: '请求头中的访问令牌格式不对（{{detail}}）' },
  'tokens.invalid': { en: 'The access token is not valid', zh: '访问令牌无效' },
  'tokens.otherUser': { en: 'The access token does not belong to the user name given with it', zh: '访问令牌不属于随附的用户名' },
  'tokens.revoked': { en: 'The access token was revoked', zh: '访问令牌已被撤销' },
  'tokens.expired': { en: 'The access token has expired', zh: '访问令牌已过期' },
  'tokens.ownerDisabled': { en: 'The account of this access token is disabled', zh: '此访问令牌所属的账户已停用' },
  'tokens.readOnly': { en: 'This access token is read-only: it may not change anything (create a token without "read-only" for writes)', zh: '此访问令牌为只读，不能修改任何数据（如需写入，请创建非只读令牌）' },
  'tokens.sessionOnly': { en: 'Access tokens are managed from a logged-in session, not with a token', zh: '访问令牌只能在登录后管理，不能用令牌管理' },
  'tokens.nameRequired': { en: 'body/name: give the token a name that says what it is for', zh: '请为令牌起一个说明用途的名称' },
  'tokens.nameTaken': { en: "body/name: you already have a live token named '{{name}}'", zh: '您已有名为“{{name}}”的有效令牌' },
  'tokens.tooMany': { en: 'You already have {{max}} live tokens: revoke one first', zh: '您已有 {{max}} 个有效令牌，请先撤销一个' },
  'tokens.notFound': { en: 'You have no live token {{id}}', zh: '您没有编号为 {{id}} 的有效令牌' },
  'buildings.pointOrFootprint': { en: 'body/footprint: give either a point (lon, lat) or a footprint, not both', zh: '请给出点位（经纬度）或轮廓，不能同时给出' },
  'buildings.footprintUnreadable': { en: 'body/footprint: not a readable polygon ({{detail}})', zh: '楼栋轮廓不是可读的多边形（{{detail}}）' },
  'buildings.footprintInvalid': { en: 'body/footprint: not a valid polygon ({{detail}})', zh: '楼栋轮廓不是有效的多边形（{{detail}}）' },
  'buildings.footprintOutsideChina': { en: 'body/footprint: its inner point ({{lon}}, {{lat}}) is not a longitude/latitude in China', zh: '楼栋轮廓的内点（{{lon}}, {{lat}}）不在中国境内' },
  'buildings.needsPlace': { en: 'body/lon: a building needs a point (lon and lat) or a footprint', zh: '楼栋需要点位（经纬度）或轮廓' },
  'report.outsideScope': { en: 'querystring/area: {{area}} is outside your area {{scope}}', zh: '区域 {{area}} 不在您的管辖范围 {{scope}} 内' },
  'report.noArea': { en: 'querystring/area: there is no area {{area}}', zh: '没有区域 {{area}}' },
  'report.noDistrict': { en: 'there is no district yet: add one on /areas', zh: '还没有区县：请先在“区划”页面添加' },
  'report.severalCities': { en: 'querystring/area: the districts belong to several cities; choose a district', zh: '区县分属多个城市；请选择一个区县' },
  'report.noAreaAtLevel': { en: 'querystring/area: there is no area {{area}} at level {{level}}', zh: '{{level}} 级没有区域 {{area}}' },
  'network.noImportJob': { en: 'No network import job {{id}} of yours (jobs are kept for 30 minutes)', zh: '没有您的路网导入任务 {{id}}（任务保留 30 分钟）' },
  'imports.gdalTimeout': { en: 'file {{file}}: reading it took longer than {{seconds}} s; split it into smaller files', zh: '文件 {{file}} 读取超过 {{seconds}} 秒；请拆分成较小的文件' },
  'imports.gdalFailed': { en: 'file {{file}}: {{detail}}', zh: '文件 {{file}} 无法读取：{{detail}}' },
  'imports.unsupported': { en: 'file {{file}}: files can be imported from {{supported}}', zh: '文件 {{file}} 的格式不支持；可导入：{{supported}}' },
  'imports.notJson': { en: 'file {{file}}: not valid JSON ({{detail}})', zh: '文件 {{file}} 不是有效的 JSON（{{detail}}）' },
  'imports.kmzNoKml': { en: 'file {{file}}: the KMZ holds no .kml document', zh: '文件 {{file}}：KMZ 中没有 .kml 文档' },
  'imports.zipNoShp': { en: 'file {{file}}: the zip holds no .shp file', zh: '文件 {{file}}：压缩包中没有 .shp 文件' },
  'imports.zipManyShp': { en: 'file {{file}}: the zip holds {{count}} .shp files ({{names}}); import one layer at a time', zh: '文件 {{file}}：压缩包中有 {{count}} 个 .shp 文件（{{names}}）；请一次导入一个图层' },
  'imports.noDbf': { en: 'file {{file}}: {{base}}.dbf (the attribute table) is missing from the zip', zh: '文件 {{file}}：压缩包中缺少属性表 {{base}}.dbf' },
  'imports.noFeatures': { en: 'file {{file}}: it holds no features', zh: '文件 {{file}} 中没有要素' },
  'imports.manyLayers': { en: 'file {{file}}: it holds {{count}} layers ({{names}}); import one layer at a time', zh: '文件 {{file}} 有 {{count}} 个图层（{{names}}）；请一次导入一个图层' },
  'imports.tooManyFeatures': { en: 'file {{file}}: {{count}} features; at most {{max}} can be imported at once', zh: '文件 {{file}} 有 {{count, number}} 个要素；一次最多导入 {{max, number}} 个' },
  'imports.prjMissing': { en: '{{base}}.prj is missing from the zip, so its coordinate system is unknown', zh: '压缩包中缺少 {{base}}.prj，坐标系未知' },
  'imports.crsNotSaid': { en: 'it does not say which coordinate system its coordinates are in', zh: '文件没有说明坐标系' },
  'imports.crsUnknown': { en: 'file {{file}}: {{what}}. Choose the coordinate system (crs: {{choices}}) and import it again', zh: '文件 {{file}}：{{what}}。请选择坐标系（{{choices}}）后重新导入' },
  'imports.projectedNotLonLat': { en: 'file {{file}}: its coordinates are projected ({{crs}}), so they cannot also be {{chosen}} longitude/latitude; choose WGS84 or CGCS2000', zh: '文件 {{file}} 的坐标是投影坐标（{{crs}}），不可能同时是 {{chosen}} 经纬度；请选择 WGS84 或 CGCS2000' },
  'imports.layerNotConverted': { en: 'file {{file}}: layer {{layer}} could not be converted', zh: '文件 {{file}}：图层 {{layer}} 无法转换' },
  'imports.refusedDatum': { en: 'file {{file}}: its coordinate system is {{crs}}, on the {{datum}} datum. Wangge does not convert {{datum}} coordinates: doing it correctly needs the local 7-parameter transformation your surveying bureau holds, and a general formula would misplace outlines by tens of metres. Convert the file to CGCS2000 with those parameters (in your GIS) and import that.', zh: '文件 {{file}} 的坐标系为 {{crs}}（{{datum}} 基准）。网格不转换 {{datum}} 坐标：正确转换需要测绘部门掌握的本地七参数，通用公式会使边界偏差数十米。请在 GIS 软件中用这些参数转为 CGCS2000 后再导入。' },
  'imports.otherDatum': { en: 'file {{file}}: its coordinate system is {{crs}} (datum {{datum}}); Wangge imports WGS84 or CGCS2000 coordinates, geographic or projected (Gauss-Krüger, UTM)', zh: '文件 {{file}} 的坐标系为 {{crs}}（基准 {{datum}}）；网格只导入 WGS84 或 CGCS2000 坐标（经纬度或高斯-克吕格、UTM 投影）' },
  'imports.unknownDatum': { en: 'unknown', zh: '未知' },
  'imports.notConvertible': { en: 'file {{file}}: its coordinate system {{crs}} is neither longitude/latitude nor a map projection Wangge can convert', zh: '文件 {{file}} 的坐标系 {{crs}} 既不是经纬度，也不是网格能转换的投影' },
  'imports.notMultipart': { en: 'body: send the file as multipart/form-data (field "file"){{fields}}', zh: '请以 multipart/form-data 上传文件（字段 "file"）{{fields}}' },
  'imports.withFields': { en: ' with {{fields}}', zh: '，并附 {{fields}}' },
  'imports.emptyFile': { en: 'file {{file}}: it is empty', zh: '文件 {{file}} 是空的' },
  'imports.crsOneOf': { en: "body/crs: '{{value}}' is not one of auto, {{allowed}}", zh: '坐标系 {{value}} 无效，只能是 auto、{{allowed}} 之一' },
  'imports.lonLatCrsRequired': { en: "{{where}}: choose the coordinate system of the table's longitude/latitude ({{allowed}}); a table does not say which, and GCJ-02 (Amap/Tencent) or BD-09 (Baidu) coordinates read as WGS84 land 300–700 m off", zh: '{{where}}：请选择表格经纬度的坐标系（{{allowed}}）；表格不会注明坐标系，把高德/腾讯（GCJ-02）或百度（BD-09）坐标当作 WGS84 会偏差 300–700 米' },
  'imports.lonLatCrsOneOf': { en: "{{where}}: '{{value}}' is not one of {{allowed}}", zh: '{{where}}：{{value}} 无效，只能是 {{allowed}} 之一' },
  'imports.encodingOneOf': { en: 'body/encoding: one of {{allowed}}', zh: '编码只能是 {{allowed}} 之一' },
  'imports.fieldNotJson': { en: 'body/{{field}}: not JSON (expected {{example}})', zh: '{{field}} 不是 JSON（应为 {{example}}）' },
  'imports.fieldShape': { en: 'body/{{field}}: expected {{example}}', zh: '{{field}} 的格式不对（应为 {{example}}）' },
  // ---- shared readers (tables, workbooks, zips) and jobs ----
  'table.fileType': { en: 'file {{file}}: only .csv, .xlsx, .xls and .ods files can be imported', zh: '文件 {{file}}：只能导入 .csv、.xlsx、.xls 和 .ods 文件' },
  'table.csvUnreadable': { en: 'CSV could not be read: {{detail}}', zh: '无法读取 CSV 文件：{{detail}}' },
  'table.noHeader': { en: 'the table has no header row', zh: '表格没有表头行' },
  'table.headerNul': { en: 'row 1 (the header): contains a NUL character (U+0000)', zh: '第 1 行（表头）含有空字符（U+0000）' },
  'table.tooManyRows': { en: 'the table has more than {{max}} rows; split it', zh: '表格超过 {{max, number}} 行；请拆分后导入' },
  'table.cellNul': { en: 'row {{row}}, column {{column}}: contains a NUL character (U+0000), which cannot be stored', zh: '第 {{row}} 行“{{column}}”列含有无法保存的空字符（U+0000）' },
  'xlsx.partTooLarge': { en: "the workbook's part {{part}} unpacks to {{megabytes}} MB; at most {{max}} MB", zh: '工作簿的部件 {{part}} 解压后有 {{megabytes}} MB；最多 {{max}} MB' },
  'xlsx.unreadable': { en: 'the workbook could not be read: {{detail}}', zh: '无法读取工作簿：{{detail}}' },
  'xlsx.partLies': { en: "the workbook's part {{part}} unpacks to more than it declares", zh: '工作簿的部件 {{part}} 解压后大于其声明的大小' },
  'xlsx.tooLarge': { en: 'the workbook unpacks to more than {{max}} MB', zh: '工作簿解压后超过 {{max}} MB' },
  'xlsx.partUnreadable': { en: "the workbook's part {{part}} cannot be read ({{detail}})", zh: '无法读取工作簿的部件 {{part}}（{{detail}}）' },
  'xlsx.noSheet': { en: 'the workbook has no sheet', zh: '工作簿中没有工作表' },
  'xlsx.notXlsx': { en: 'the file is not an .xlsx workbook', zh: '该文件不是 .xlsx 工作簿' },
  'xlsx.missingString': { en: 'the workbook refers to a missing shared string {{index}}', zh: '工作簿引用了不存在的共享字符串 {{index}}' },
  'xlsx.rowOrder': { en: "the sheet's row {{row}} is out of order", zh: '工作表的第 {{row}} 行顺序错乱' },
  'xlsx.tooManyColumns': { en: 'row {{row}}: more than {{max}} columns', zh: '第 {{row}} 行超过 {{max}} 列' },
  'xlsx.cellTooLong': { en: 'row {{row}}: a cell holds more than {{max}} characters', zh: '第 {{row}} 行有单元格超过 {{max, number}} 个字符' },
  'zip.notZip': { en: 'file {{file}}: not a zip archive', zh: '文件 {{file}} 不是 zip 压缩包' },
  'zip.unreadable': { en: 'file {{file}}: not a readable zip ({{detail}})', zh: '文件 {{file}} 是无法读取的 zip 压缩包（{{detail}}）' },
  'zip.tooManyEntries': { en: 'file {{file}}: {{count}} entries; an upload may hold at most {{max}}', zh: '文件 {{file}} 含 {{count, number}} 个条目；上传文件最多 {{max, number}} 个' },
  'zip.pathOutside': { en: 'file {{file}}: entry "{{entry}}" has a path outside the archive', zh: '文件 {{file}} 中的条目“{{entry}}”路径指向压缩包以外' },
  'zip.symlink': { en: 'file {{file}}: entry "{{entry}}" is a symbolic link', zh: '文件 {{file}} 中的条目“{{entry}}”是符号链接' },
  'zip.entryTooLarge': { en: 'file {{file}}: entry "{{entry}}" unpacks to {{megabytes}} MB; at most {{max}} MB', zh: '文件 {{file}} 中的条目“{{entry}}”解压后有 {{megabytes}} MB；最多 {{max}} MB' },
  'zip.bomb': { en: 'file {{file}}: entry "{{entry}}" is compressed {{ratio}}:1, which only a zip bomb does', zh: '文件 {{file}} 中的条目“{{entry}}”压缩比为 {{ratio}}:1，疑似压缩炸弹' },
  'zip.tooLarge': { en: 'file {{file}}: unpacks to {{megabytes}} MB in all; at most {{max}} MB', zh: '文件 {{file}} 解压后共 {{megabytes}} MB；最多 {{max}} MB' },
  'zip.entryLies': { en: 'file {{file}}: entry "{{entry}}" unpacks to more than it declares', zh: '文件 {{file}} 中的条目“{{entry}}”解压后大于其声明的大小' },
  'zip.entryUnreadable': { en: 'file {{file}}: entry "{{entry}}" cannot be read ({{detail}})', zh: '无法读取文件 {{file}} 中的条目“{{entry}}”（{{detail}}）' },
  'jobs.tooMany': { en: 'you already have {{running}} run(s) going; wait for them to finish', zh: '您已有 {{running}} 个任务在运行；请等它们完成' },
  // ---- form fields: how the web names a field a schema refusal points at (its path stays in the message) ----
  'field.name': { en: 'name', zh: '名称' },
  'field.displayName': { en: 'name', zh: '姓名' },
  'field.username': { en: 'username', zh: '用户名' },
  'field.code': { en: 'code', zh: '代码' },
  'field.reason': { en: 'reason for the change', zh: '变更原因' },
  'field.note': { en: 'note', zh: '说明' },
  'field.description': { en: 'description', zh: '描述' },
  'field.address': { en: 'address', zh: '地址' },
  'field.phone': { en: 'phone', zh: '电话' },
  'field.lon': { en: 'longitude', zh: '经度' },
  'field.lat': { en: 'latitude', zh: '纬度' },
  'field.households': { en: 'households', zh: '户数' },
  'field.residents': { en: 'residents', zh: '常住人口' },
  'field.residents60': { en: 'residents 60+', zh: '60 岁以上人口' },
  'field.residents80': { en: 'residents 80+', zh: '80 岁以上人口' },
  'field.capacity': { en: 'capacity', zh: '容量' },
  'field.openingHours': { en: 'opening hours', zh: '开放时间' },
  'field.services': { en: 'services', zh: '服务项目' },
  'field.type': { en: 'type', zh: '类型' },
  'field.kind': { en: 'kind', zh: '类别' },
  'field.level': { en: 'level', zh: '层级' },
  'field.role': { en: 'role', zh: '角色' },
  'field.scopeAreaCode': { en: 'work area', zh: '工作范围' },
  'field.category': { en: 'category', zh: '类别' },
  'field.subCategory': { en: 'sub-category', zh: '子类' },
  'field.occurredAt': { en: 'time of occurrence', zh: '发生时间' },
  'field.externalId': { en: 'ticket number', zh: '工单号' },
  'field.expiresInDays': { en: 'days until it expires', zh: '有效天数' },
  'field.readOnly': { en: 'read-only', zh: '只读' },
  'field.password': { en: 'password', zh: '密码' },
  'field.newPassword': { en: 'new password', zh: '新密码' },
  'field.currentPassword': { en: 'current password', zh: '当前密码' },
  'field.radiusMeters': { en: 'radius', zh: '半径' },
  'field.serviceRadiusMeters': { en: 'service radius', zh: '服务半径' },
  'field.geometry': { en: 'outline', zh: '轮廓' },
  'field.from': { en: 'start', zh: '开始时间' },
  'field.to': { en: 'end', zh: '结束时间' },
  'field.area': { en: 'area', zh: '区域' },
  'field.communityCode': { en: 'community', zh: '社区' },
  'field.parentCode': { en: 'parent area', zh: '上级区域' },
  'field.status': { en: 'status', zh: '状态' },
  'field.source': { en: 'source', zh: '来源' },
  'field.format': { en: 'format', zh: '格式' },
  'field.crs': { en: 'coordinate system', zh: '坐标系' },
  'validation.empty': { en: '{{field}}: must not be empty', zh: '{{field}} 不能为空' },
  'request.nulCharacter': { en: '{{where}}: contains a NUL character (U+0000), which cannot be stored', zh: '{{where}} 含有无法保存的空字符（U+0000）' },
  // ---- requests the routes never see (Fastify, uploads, rate limits, the database, the server) ----
  'request.noRoute': { en: 'No route {{method}} {{url}}', zh: '没有这个接口：{{method}} {{url}}' },
  'request.bodyTooLarge': { en: 'body: larger than the {{limit, number}} bytes this request may carry', zh: '请求内容超过上限（{{limit, number}} 字节）' },
  'request.mediaType': { en: "body: Content-Type '{{contentType}}' is not accepted here; send JSON (application/json) or a file as multipart/form-data", zh: '不接受内容类型 {{contentType}}；请发送 JSON，或以 multipart/form-data 上传文件' },
  'request.emptyJson': { en: "body: empty, although Content-Type says 'application/json'", zh: '请求内容为空，但声明为 JSON' },
  'request.malformedJson': { en: "body: not valid JSON, although Content-Type says 'application/json'", zh: '请求内容不是有效的 JSON' },
  'request.contentLength': { en: 'body: its size does not match the Content-Length header', zh: '请求内容的大小与其声明的长度不符' },
  'request.badUrl': { en: "the address '{{url}}' is not valid (a broken %-escape?)", zh: '请求地址 {{url}} 无效（百分号编码有误？）' },
  'request.fileTooLarge': { en: 'body/file: too large (the limit is {{megabytes, number}} MB); nothing was read', zh: '文件超过 {{megabytes, number}} MB 上限；未读取任何内容' },
  'request.tooManyFiles': { en: 'body: one file per request (at most {{max}})', zh: '每次请求只能上传 {{max}} 个文件' },
  'request.tooManyFields': { en: 'body: more than {{max}} form fields', zh: '表单字段超过 {{max}} 个' },
  'request.protoField': { en: 'body: {{field}} is not allowed as a field name', zh: '不允许使用字段名 {{field}}' },
  'request.multipartJson': { en: 'body: a form field declared as JSON is not valid JSON', zh: '声明为 JSON 的表单字段不是有效的 JSON' },
  'request.uploadCut': { en: 'body: the upload was cut off before it was complete; send it again', zh: '上传在完成前中断；请重新上传' },
  'request.rateLimited': { en: 'Too many requests: at most {{max}} a minute for this address; try again in {{seconds}} s', zh: '请求过于频繁：每个地址每分钟最多 {{max}} 次；请 {{seconds}} 秒后再试' },
  'request.other': { en: '{{detail}}', zh: '请求被拒绝：{{detail}}' },
  'input.nul': { en: 'a text contains a character the database cannot store (NUL)', zh: '文本含有数据库无法保存的字符（空字符）' },
  'input.numberRange': { en: 'a number is out of range', zh: '数值超出范围' },
  'input.dateRange': { en: 'a date or time is out of range', zh: '日期或时间超出范围' },
  'input.dateInvalid': { en: 'a date or time is not valid', zh: '日期或时间无效' },
  'server.shuttingDown': { en: 'Wangge is shutting down', zh: '系统正在停止服务，请稍后再试' },
  'server.databaseUnavailable': { en: 'The database is unavailable; try again shortly', zh: '数据库暂时无法使用；请稍后再试' },
  'server.error': { en: 'Something went wrong on the server', zh: '服务器出错了' },
  // ---- OGC API – Features ----
  'ogc.loginRequired': { en: "Collection '{{collection}}' needs a login: send a personal access token (Bearer, or as the password of HTTP Basic)", zh: '图层 {{collection}} 需要登录：请提供个人访问令牌（作为持有者令牌，或作为基本认证的密码）' },
  'ogc.roleMayNot': { en: "The role '{{role}}' may not read collection '{{collection}}'", zh: '您的角色无权读取图层 {{collection}}' },
  'ogc.noCollection': { en: "No collection '{{collection}}': the collections are {{collections}}", zh: '没有图层 {{collection}}；现有图层：{{collections}}' },
  'ogc.noFeature': { en: "No feature '{{feature}}' in collection '{{collection}}'", zh: '图层 {{collection}} 中没有要素 {{feature}}' },
  'ogc.bboxCrsAlone': { en: '{{parameter}}: given without bbox', zh: '参数 {{parameter}} 须与范围参数一起给出' },
  'ogc.crsNotServed': { en: "{{parameter}}: '{{value}}' is not served; use one of {{allowed}}", zh: '参数 {{parameter}}：不提供坐标系 {{value}}；可选：{{allowed}}' },
  'ogc.bboxNumbers': { en: "{{parameter}}: '{{value}}' must be 4 numbers (or 6 with heights), comma-separated: minimum then maximum corner", zh: '参数 {{parameter}}：{{value}} 应为逗号分隔的 4 个数（含高度时 6 个），先最小角后最大角' },
  'ogc.bboxRange': { en: "{{parameter}}: '{{value}}' is outside longitude −180…180 / latitude −90…90 ({{order}})", zh: '参数 {{parameter}}：{{value}} 超出经度 −180…180、纬度 −90…90 的范围（{{order}}）' },
  'ogc.latitudeFirst': { en: 'latitude first for {{crs}}', zh: '{{crs}} 纬度在前' },
  'ogc.longitudeFirst': { en: 'longitude first', zh: '经度在前' },
  'ogc.bboxLatitudeOrder': { en: '{{parameter}}: the minimum latitude {{min}} is above the maximum {{max}}', zh: '参数 {{parameter}}：最小纬度 {{min}} 大于最大纬度 {{max}}' },
  'ogc.bboxLongitudeOrder': { en: '{{parameter}}: the minimum longitude {{min}} is east of the maximum {{max}}', zh: '参数 {{parameter}}：最小经度 {{min}} 在最大经度 {{max}} 以东' },
  'ogc.datetimeForm': { en: "{{parameter}}: '{{value}}' is not an RFC 3339 date-time with offset (2026-11-03T08:30:00+08:00) or a date (2026-11-03)", zh: '参数 {{parameter}}：{{value}} 不是带时区的日期时间（如 2026-11-03T08:30:00+08:00）或日期（如 2026-11-03）' },
  'ogc.datetimeNotReal': { en: "{{parameter}}: '{{value}}' is not a real date", zh: '参数 {{parameter}}：{{value}} 不是真实存在的日期' },
  'ogc.noTime': { en: "{{parameter}}: collection '{{collection}}' has no time to filter on", zh: '参数 {{parameter}}：图层 {{collection}} 没有可筛选的时间' },
  'ogc.datetimeNotInterval': { en: "{{parameter}}: '{{value}}' is neither an instant nor an interval start/end", zh: '参数 {{parameter}}：{{value}} 既不是时刻也不是“开始/结束”时段' },
  'ogc.intervalOpen': { en: '{{parameter}}: an interval needs at least one end (e.g. 2026-01-01T00:00:00Z/..)', zh: '参数 {{parameter}}：时段至少要有一端（如 2026-01-01T00:00:00Z/..）' },
  'ogc.intervalBackwards': { en: "{{parameter}}: the interval's start {{start}} is after its end {{end}}", zh: '参数 {{parameter}}：时段的开始 {{start}} 晚于结束 {{end}}' },
  'ogc.limit': { en: "{{parameter}}: '{{value}}' must be a whole number from 1 to {{max}}", zh: '参数 {{parameter}}：{{value}} 应为 1 至 {{max}} 的整数' },
  'ogc.after': { en: "{{parameter}}: '{{value}}' is not a page key of '{{collection}}' (follow the 'next' link rather than writing it)", zh: '参数 {{parameter}}：{{value}} 不是图层 {{collection}} 的分页键（请使用“下一页”链接，不要自行填写）' },
  'ogc.unknownParameter': { en: "{{parameter}}: not a parameter of '{{collection}}' items; it takes {{known}}", zh: '{{parameter}} 不是图层 {{collection}} 要素的参数；可用参数：{{known}}' },
  'ogc.giveOnce': { en: '{{parameter}}: give it once', zh: '参数 {{parameter}} 只能给出一次' },
  'ogc.notOneOf': { en: "{{parameter}}: '{{value}}' is not one of {{allowed}}", zh: '参数 {{parameter}}：{{value}} 无效；可选：{{allowed}}' },
  'ogc.notValid': { en: "{{parameter}}: '{{value}}' is not a valid {{what}}", zh: '参数 {{parameter}}：{{value}} 的格式不对' },
  // ---- exports ----
  'exports.geojsonCrs': { en: 'querystring/crs: GeoJSON is always WGS84 (RFC 7946); choose format shp or gpkg for CGCS2000 (EPSG:4490)', zh: 'GeoJSON 始终为 WGS84 坐标；如需 CGCS2000（EPSG:4490），请选择 Shapefile 或 GeoPackage 格式' },
  'exports.tableCrs': { en: 'querystring/crs: a table has no coordinate system; choose format shp or gpkg for CGCS2000 (EPSG:4490)', zh: '表格没有坐标系；如需 CGCS2000（EPSG:4490），请选择 Shapefile 或 GeoPackage 格式' },
  'exports.noArea': { en: 'querystring/area: no live area {{area}}', zh: '没有代码为 {{area}} 的在用区域' },
  'exports.unknownFacilityType': { en: 'querystring/type: unknown facility type {{types}} (one of {{allowed}})', zh: '未知的设施类型 {{types}}（可选：{{allowed}}）' },
  'exports.tooMany': { en: 'the filter selects {{selected, number}} incidents; an export holds at most {{cap, number}}: narrow the period, area or category', zh: '筛选出 {{selected, number}} 件事件；一次导出最多 {{cap, number}} 件：请缩小时段、区域或类别' },
  // ---- areas (code list, outlines, hierarchy) ----
  'areas.outsideYourArea': { en: 'area {{code}} is outside your area {{scope}}', zh: '区域 {{code}} 不在您负责的区域 {{scope}} 内' },
  'areas.notFound': { en: 'No area {{code}}', zh: '没有代码为 {{code}} 的区域' },
  'areas.noLiveArea': { en: 'No live area {{code}}', zh: '没有代码为 {{code}} 的在用区域' },
  'areas.retired': { en: 'area {{code}} ({{name}}) was retired and can no longer be changed', zh: '区域 {{code}}（{{name}}）已撤销，不能再修改' },
  'areas.cityOutline': { en: 'area {{code}} is a city: its outline is the sum of its districts', zh: '区域 {{code}} 是市级：其边界由所辖区县合成' },
  'areas.stale': { en: 'area {{code}} ({{name}}) was changed{{by}}{{at}} (now version {{currentVersion}}, you read version {{readVersion}}){{fields}}. Reload it and make your change again.', zh: '区域 {{code}}（{{name}}）已被他人修改（现为第 {{currentVersion}} 版，您读取的是第 {{readVersion}} 版）。请重新加载后再改。' },
  'areas.notReadable': { en: 'geometry: not a readable outline ({{detail}})', zh: '无法读取边界（{{detail}}）' },
  'areas.notPolygon': { en: 'geometry: an outline must be a Polygon or MultiPolygon, not {{type}}', zh: '边界必须是面（Polygon 或 MultiPolygon），而不是 {{type}}' },
  'areas.notChina': { en: 'geometry: coordinates ({{x}}, {{y}}) are not WGS84 longitude/latitude in China', zh: '坐标（{{x}}, {{y}}）不是中国境内的 WGS84 经纬度' },
  'areas.invalidOutline': { en: 'geometry: invalid {{label}}, {{reason}}{{where}}', zh: '{{label}} 无效（{{reason}}）{{where}}' },
  'areas.outlineOf': { en: 'outline of {{code}} ({{name}})', zh: '{{name}}（{{code}}）的边界' },
  'areas.at': { en: ' at ({{x}}, {{y}})', zh: '，位于（{{x}}, {{y}}）' },
  'areas.fitBlocked': { en: 'outline of {{code}} ({{name}}) {{detail}}', zh: '{{name}}（{{code}}）的边界不合适：{{detail}}' },
  'areas.badCityCode': { en: 'code {{code}}: give a 6-digit district/county code or a 4-digit city code', zh: '代码 {{code}} 无效：请给出 6 位区县代码或 4 位城市代码' },
  'areas.notInNationalList': { en: 'code {{code}} is not a city or district in the national list (统计用区划代码 2023)', zh: '代码 {{code}} 不是国家统计用区划代码（2023）中的城市或区县' },
  'areas.codeListErrors': { en: 'file {{file}}: {{count}} error(s) in {{rows}} rows, so nothing was added; first: row {{row}}{{column}}: {{detail}}', zh: '文件 {{file}} 的 {{rows, number}} 行中有 {{count, number}} 处错误，未添加任何区域；第一处：第 {{row}} 行{{column}}：{{detail}}' },
  'areas.atColumn': { en: ', column {{column}}', zh: '，列 {{column}}' },
  'areas.codeLength': { en: 'code {{code}}: a district has 6 digits, a street 9 and a community 12', zh: '代码 {{code}} 位数不对：区县 6 位，街道 9 位，社区 12 位' },
  'areas.badCode': { en: '{{problem}}', zh: '代码无效：{{problem}}' },
  'areas.noName': { en: 'name: no name', zh: '请填写名称' },
  'areas.urbanRuralOnlyCommunity': { en: 'urbanRuralClass: only a community or village has an urban-rural class', zh: '只有社区或村有城乡分类' },
  'areas.codeExists': { en: 'code {{code}} already exists{{retired}}', zh: '代码 {{code}} 已存在{{retired}}' },
  'areas.codeRetired': { en: ' as a retired area (a code is not issued again)', zh: '（为已撤销区域，代码不再启用）' },
  'areas.parentMissing': { en: 'parent {{parent}} of {{code}} does not exist or is retired: add it first', zh: '{{code}} 的上级 {{parent}} 不存在或已撤销：请先添加上级' },
  'areas.retireBlocked': { en: '{{code}} cannot be retired while it has {{detail}}', zh: '{{code}} 仍有在用的下级或网格，不能撤销：{{detail}}' },
  'areas.doesNotExist': { en: 'area {{code}} does not exist', zh: '区域 {{code}} 不存在' },
  'areas.isRetired': { en: 'area {{code}} is retired', zh: '区域 {{code}} 已撤销' },
  'areas.changedMeanwhile': { en: 'area {{code}} was changed meanwhile (now version {{currentVersion}}, you read {{version}}): reload and try again', zh: '区域 {{code}} 已被他人修改（现为第 {{currentVersion}} 版，您读取的是第 {{version}} 版）：请重新加载后再试' },
  'areas.cannotDerive': { en: 'cannot derive the outline of {{code}} ({{name}}): {{detail}}', zh: '无法生成 {{name}}（{{code}}）的边界：{{detail}}' },
  'areas.levelOneOf': { en: 'body/level: one of {{allowed}}', zh: '层级只能是 {{allowed}} 之一' },
  'areas.noImportJob': { en: 'No outline import job {{id}} of yours (jobs are kept for 30 minutes)', zh: '没有您的边界导入任务 {{id}}（任务保留 30 分钟）' },
  'areas.noSuchFeature': { en: '{{where}}: feature {{feature}} does not exist (the file has {{count}})', zh: '第 {{feature}} 个要素不存在（文件共 {{count}} 个）' },
  'areas.notImportable': { en: 'matches/{{feature}}: {{code}} is not a {{levelZh}} ({{level}}) you may import outlines for', zh: '{{code}} 不是您可导入边界的{{levelZh}}' },
  'areas.matchedAndSkipped': { en: 'feature {{feature}}: it is both matched to {{code}} and skipped; choose one', zh: '第 {{feature}} 个要素既被对应到 {{code}} 又被跳过；请二选一' },
  'areas.noneOfLevel': { en: 'level {{level}}: there is no {{levelZh}} {{inScope}}in the code list yet; add the district from the code list first', zh: '代码表中还没有{{levelZh}}；请先从代码表添加本区' },
  'areas.inYourArea': { en: 'in your area {{scope}} ', zh: '（在您负责的区域 {{scope}} 内）' },
  'areas.noSuchField': { en: 'field {{field}}: the file has no such field (it has {{fields}})', zh: '文件中没有字段 {{field}}（现有：{{fields}}）' },
  'areas.none': { en: 'none', zh: '无' },
  'areas.nothingMatched': { en: 'file {{file}}: no feature is matched to an area; nothing was imported', zh: '文件 {{file}} 中没有要素对应到区域；未导入任何数据' },
  'areas.importBlocked': { en: 'nothing was imported: {{shown}}{{more}}', zh: '未导入任何数据：{{shown}}{{more}}' },
  'areas.andMore': { en: '; and {{count}} more', zh: '；另有 {{count}} 处' },
  'areas.importAboveScope': { en: 'your area is {{scope}}: you may import outlines below it only, not of a {{level}}', zh: '您负责的区域是 {{scope}}：只能导入其下级的边界' },
  'areas.noVersion': { en: 'area {{code}} has no version {{version}}', zh: '区域 {{code}} 没有第 {{version}} 版' },
  'areas.versionNoOutline': { en: 'version {{version}} of area {{code}} has no outline to restore', zh: '区域 {{code}} 的第 {{version}} 版没有可恢复的边界' },
  'areas.noCodeListFile': { en: 'no file: upload a .csv or .xlsx code list (level, code, name, parent) in the "file" field', zh: '没有文件：请上传 .csv 或 .xlsx 代码表（层级、代码、名称、上级）' },

  // ---- database outages (503) ----
  'database.nodeUnavailable': { en: 'A database node is down, so the data this request needs cannot be reached; try again shortly', zh: '数据库的一个节点已停止，本次请求所需的数据暂时无法读取，请稍后再试' },
} as const satisfies Record<string, Entry>;

export type RefusalCode = keyof typeof REFUSALS;

/** A distance as a phrase: whole metres below 1 km, else kilometres with one decimal. */
export const distancePhrase = (meters: number): RefusalPhrase =>
  meters >= 1000 ? { code: 'distance.kilometers', params: { kilometers: (meters / 1000).toFixed(1) } } : { code: 'distance.meters', params: { meters: Math.round(meters) } };

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

/**
 * A problem found in an uploaded file (a row, a feature, a finding) as the web and API users read
 * it: its stable `code` and `params` (the web renders them in the UI's language, `problemText`)
 * and its English `message` (for API users and logs).
 */
export interface Problem {
  code: RefusalCode;
  params: RefusalParams;
  message: string;
}

/** A problem of an upload: the code, its parameters and the English message rendered from them. */
export function problem(code: RefusalCode, params: RefusalParams = {}): Problem {
  return { code, params, message: renderRefusal(code, params) };
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
