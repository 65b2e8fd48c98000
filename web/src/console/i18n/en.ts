import type { ConsoleMessageKey } from './zh-CN.ts';

/** The console's frame (navigation): its words in English, as ICU messages (plurals where a count is shown). */
export const consoleEn: Record<ConsoleMessageKey, string> = {
  'nav.label': 'Main',
  'nav.menu': 'Menu',
  'nav.home': 'Home',
  'nav.newClass': 'New training class',
  'nav.orgs': 'Organizations',
  'nav.members': 'Members',
  'nav.training': 'Training',
  'nav.news': 'News',
  'nav.newArticle': 'Write a news article',
  'nav.services': 'Huigong Bao',
  'nav.servicesQueue': 'Huigong Bao claims waiting for me',
  'nav.servicesPayout': 'Huigong Bao payouts',
  'nav.grants': 'Roles',
  'nav.audit': 'Audit log',
  'nav.account': 'My account',

  'console.noRoles': 'This account has no role in the console',
  'console.openMemberApp': "Open the Workers' Home member app",
};
