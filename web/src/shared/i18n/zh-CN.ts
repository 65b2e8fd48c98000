/** Words every module shares: its words in Chinese (terms from GLOSSARY.md), as ICU messages. */
export const sharedZhCN = {
  'app.name': '职工之家',
  'app.memberAppName': '职工之家',

  'language.label': '界面语言',

  'state.loading': '正在加载',

  'action.retry': '重试',
  'action.reload': '重新加载',
  'action.backHome': '返回首页',
  'action.save': '保存',
  'action.cancel': '取消',
  'action.edit': '编辑',
  'action.search': '搜索',
  'action.signOut': '退出登录',

  'error.network': '无法连接服务器，请检查网络后重试',
  'error.notFound': '未找到该内容，或您无权查看',
  'error.forbidden': '您没有执行此操作的权限',
  'error.generic': '操作未能完成',
  'error.signedOut': '登录已失效，请重新登录',
  'error.rateLimited': '请求过于频繁，请稍后再试',
  'error.server': '服务器出错，请稍后重试（请求编号 {id}）',
  'error.pageNotFound': '页面不存在',
  'error.pageFailed': '页面加载失败',

  'role.member': '会员',
  'role.orgs.admin': '组织管理',
  'role.orgs.reader': '组织查看',
  'role.people.admin': '会员管理',
  'role.people.reader': '会员查看',
  'role.auth.admin': '账号与授权管理',
  'role.audit.reader': '审计查看',
  'role.training.organizer': '培训组织',
  'role.training.reader': '培训查看',
  'role.news.editor': '新闻编辑',
  'role.news.chief-editor': '新闻责任编辑（签发）',
  'role.services.manager': '惠工保经办（方案、参保、缴费）',
  'role.services.reviewer': '惠工保理赔审核',
  'role.services.payer': '惠工保拨付',

  'orgLevel.national': '全国',
  'orgLevel.provincial': '省级',
  'orgLevel.industrial': '全国产业',
  'orgLevel.city': '市级 / 盟',
  'orgLevel.county': '县级 / 旗 / 口岸',
  'orgLevel.grassroots': '基层工会',

  'orgKind.federation': '总工会',
  'orgKind.industrial_union': '产业工会',
  'orgKind.port_union': '口岸工会',
  'orgKind.union_committee': '工会委员会',
  'orgKind.enterprise_union': '企业工会',
  'orgKind.institution_union': '事业单位工会',
  'orgKind.organ_union': '机关工会',

  'gender.male': '男',
  'gender.female': '女',

  'memberStatus.active': '在会',
  'memberStatus.transferred_out': '转出',
  'memberStatus.left': '退会',
  'memberStatus.all': '全部状态',

  'form.required': '必填',

  'pager.label': '翻页',
  'pager.previous': '上一页',
  'pager.next': '下一页',
  'pager.total': '共 {count, number} 件',
  'pager.totalAtLeast': '超过 {count, number} 件',
};

export type SharedMessageKey = keyof typeof sharedZhCN;
