/** The console's frame (navigation): its words in Chinese (terms from GLOSSARY.md), as ICU messages. */
export const consoleZhCN = {
  'nav.label': '主导航',
  'nav.menu': '菜单',
  'nav.home': '首页',
  'nav.newClass': '新建培训班',
  'nav.orgs': '组织机构',
  'nav.members': '会员管理',
  'nav.training': '培训管理',
  'nav.news': '新闻编辑',
  'nav.newArticle': '写新闻稿',
  'nav.services': '惠工保',
  'nav.servicesQueue': '待我审核的惠工保申请',
  'nav.servicesPayout': '惠工保互助金拨付',
  'nav.grants': '角色授权',
  'nav.audit': '操作日志',
  'nav.account': '我的账号',

  'console.noRoles': '此账号在管理后台没有可用的角色',
  'console.openMemberApp': '打开职工之家会员端',
};

export type ConsoleMessageKey = keyof typeof consoleZhCN;
