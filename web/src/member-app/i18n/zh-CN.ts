/** The member app: its words in Chinese (terms from GLOSSARY.md), as ICU messages. */
export const memberAppZhCN = {
  'memberApp.signInIntro': '登录后查看您的会员信息和会籍记录。',
  'memberApp.myUnion': '我的工会',
  'memberApp.profile': '个人信息',
  'memberApp.history': '会籍记录',
  'memberApp.noRecord': '此账号没有关联会员信息，请联系所在工会。',
  'memberApp.noUnion': '您当前不在任何工会',
  'memberApp.joinedOn': '{date} 入会',
  'memberApp.cardNumber': '会员证号：{number}',
  'memberApp.period': '{from} 至 {to}',
  'memberApp.periodOpen': '{from} 至今',
  'memberApp.offline': '当前离线，已显示应用外壳；联网后可查看最新信息',
};

export type MemberAppMessageKey = keyof typeof memberAppZhCN;
