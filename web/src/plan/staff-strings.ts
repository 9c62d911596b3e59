/**
 * Strings of the people on the grids in /plan (`gridStaff.*`): the account a grid leader or
 * manager is linked to in the grid form, and the staff import. Fetched with the pages that use them (`i18n/pages.ts`).
 */
const zh = {
  account: '系统账号',
  leaderAccount: '网格长的系统账号',
  managerAccount: '网格员 {{n}} 的系统账号',
  noAccount: '未关联账号',
  accountHint: '关联网格员账号后，该账号即可在本网格上报和处理事件。',
  import: {
    title: '导入网格长和网格员',
    intro: 'Excel（.xlsx）或 CSV 表格，每行一人：网格编码、姓名、手机号、职务（网格长/网格员）、账号（可选，网格员账号的用户名）。表中出现的每个网格，其网格长和网格员将整体替换为表中人员；表中未出现的网格不变。',
    file: '人员表格',
    preview: '预览人员表',
    commit: '导入（替换 {{count}} 个网格的人员）',
    reason: '原因',
    summary: '{{rows}} 行，涉及 {{grids}} 个网格，{{errors}} 个问题。',
    blocked: '存在问题，无法导入：请修改表格后重新预览。',
    errorsTitle: '问题（按行）',
    error: '第 {{row}} 行 · {{column}}：{{message}}',
    rowsTitle: '人员',
    gridsTitle: '网格人员变化',
    columns: { row: '行', grid: '网格', name: '姓名', phone: '电话', role: '职务', username: '账号' },
    gridColumns: { grid: '网格', before: '现有', after: '导入后', accounts: '关联账号' },
    staffCount: '网格长 {{leaders}} · 网格员 {{managers}}',
    roles: { leader: '网格长', manager: '网格员' },
    done: '已导入：{{grids}} 个网格，网格长 {{leaders}} 人，网格员 {{managers}} 人，关联账号 {{linkedAccounts}} 个。',
    moreRows: '另有 {{count}} 行未列出。',
  },
};

export const zhCN: typeof zh = zh;

export const en: typeof zh = {
  account: 'Account',
  leaderAccount: 'Account of the grid leader',
  managerAccount: 'Account of grid manager {{n}}',
  noAccount: 'No account linked',
  accountHint: 'A linked grid-worker account reports and handles incidents in this grid.',
  import: {
    title: 'Import grid leaders and managers',
    intro: 'An Excel (.xlsx) or CSV table, one person a row: grid code, name, mobile, role (网格长 leader / 网格员 manager), account (optional: the username of a grid-worker account). The leader and managers of every grid in the table are replaced by the table’s; grids it does not name stay as they are.',
    file: 'Staff table',
    preview: 'Preview the staff table',
    commit: 'Import (replace the staff of {{count}} grids)',
    reason: 'Reason',
    summary: '{{rows}} rows, {{grids}} grids, {{errors}} problems.',
    blocked: 'There are problems, so nothing can be imported: fix the table and preview again.',
    errorsTitle: 'Problems (by row)',
    error: 'Row {{row}} · {{column}}: {{message}}',
    rowsTitle: 'People',
    gridsTitle: 'Staff per grid',
    columns: { row: 'Row', grid: 'Grid', name: 'Name', phone: 'Phone', role: 'Role', username: 'Account' },
    gridColumns: { grid: 'Grid', before: 'Now', after: 'After import', accounts: 'Linked accounts' },
    staffCount: 'leaders {{leaders}} · managers {{managers}}',
    roles: { leader: 'Grid leader', manager: 'Grid manager' },
    done: 'Imported: {{grids}} grids, {{leaders}} grid leaders, {{managers}} grid managers, {{linkedAccounts}} accounts linked.',
    moreRows: '{{count}} more rows not listed.',
  },
};
