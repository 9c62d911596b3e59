/** The set-up page's strings (`setup.*`), fetched with the pages that use them (`i18n/pages.ts`). */
const zh = {
  title: '初始设置',
  intro: '这是一个新安装的网格系统，还没有管理员。请创建第一个系统管理员账户，之后由他在“账号管理”中为其他人员开设账户。',
  steps: {
    label: '设置步骤',
    account: '创建管理员账户',
    totp: '启用两步验证',
    done: '完成',
  },
  checking: '正在核对设置链接…',
  noToken: '请打开启动网格系统（npm start）时在终端打印的设置链接，链接以 /setup#token= 开头。',
  void: {
    title: '设置链接已失效',
    done: '系统已有管理员，初始设置已经完成，所有设置链接均已作废。请直接登录。',
    refused: '此设置链接无法使用：{{message}}',
    unknown: '此设置链接无效。请完整复制启动时打印的链接，或重新启动网格系统以获得新链接（每次启动都会作废之前的链接）。',
    used: '此设置链接已经使用过。',
    expired: '此设置链接已过期（有效期 24 小时）。请重新启动网格系统以获得新链接。',
    login: '前往登录',
  },
  form: {
    username: '用户名',
    usernameHint: '3–64 个字母、数字或 _ . -，登录时使用',
    displayName: '姓名',
    password: '密码',
    confirm: '再次输入密码',
    mismatch: '两次输入的密码不一致。',
    submit: '创建管理员',
    submitting: '正在创建…',
    failed: '未能创建：{{message}}',
  },
  totpIntro: '管理员账户在正式环境中必须启用两步验证。请现在用手机上的身份验证器应用完成绑定。',
  done: {
    title: '设置完成',
    text: '管理员账户 {{username}} 已创建并已登录。下一步：',
    areas: '设置行政区划（选择区县、导入街道和社区）',
    users: '为规划员、分析员和网格员开设账户',
  },
};

export const zhCN: typeof zh = zh;

export const en: typeof zh = {
  title: 'First set-up',
  intro: 'This is a new Wangge installation without an administrator. Create the first administrator account; they then open accounts for everyone else under “Users”.',
  steps: {
    label: 'Set-up steps',
    account: 'Create the administrator',
    totp: 'Two-step verification',
    done: 'Done',
  },
  checking: 'Checking the set-up link…',
  noToken: 'Open the set-up link that starting Wangge (npm start) printed in the terminal; it begins with /setup#token=.',
  void: {
    title: 'This set-up link is void',
    done: 'An administrator exists: set-up is done and every set-up link is void. Log in instead.',
    refused: 'This set-up link cannot be used: {{message}}',
    unknown: 'This set-up link is not valid. Copy the whole link printed at start, or restart Wangge for a new one (every start voids the links before it).',
    used: 'This set-up link was already used.',
    expired: 'This set-up link has expired (links last 24 hours). Restart Wangge for a new one.',
    login: 'Go to login',
  },
  form: {
    username: 'Username',
    usernameHint: '3–64 letters, digits or _ . -; used to log in',
    displayName: 'Name',
    password: 'Password',
    confirm: 'Repeat the password',
    mismatch: 'The two passwords differ.',
    submit: 'Create the administrator',
    submitting: 'Creating…',
    failed: 'Not created: {{message}}',
  },
  totpIntro: 'Administrator accounts must use two-step verification outside demo mode. Set it up now with an authenticator app on your phone.',
  done: {
    title: 'Set-up done',
    text: 'The administrator {{username}} is created and logged in. Next:',
    areas: 'Set up the areas (choose the district, import streets and communities)',
    users: 'Open accounts for planners, analysts and grid workers',
  },
};
