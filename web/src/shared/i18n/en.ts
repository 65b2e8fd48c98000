import type { SharedMessageKey } from './zh-CN.ts';

/** Words every module shares: its words in English, as ICU messages (plurals where a count is shown). */
export const sharedEn: Record<SharedMessageKey, string> = {
  'app.name': "Workers' Home",
  'app.memberAppName': "Workers' Home",

  'language.label': 'Language',

  'state.loading': 'Loading',

  'action.retry': 'Retry',
  'action.reload': 'Reload',
  'action.backHome': 'Back to the start',
  'action.save': 'Save',
  'action.cancel': 'Cancel',
  'action.edit': 'Edit',
  'action.search': 'Search',
  'action.signOut': 'Sign out',

  'error.network': 'Cannot reach the server; check the connection and retry',
  'error.notFound': 'Not found, or not yours to see',
  'error.forbidden': 'You may not do this',
  'error.generic': 'That did not work',
  'error.signedOut': 'Your session has ended; sign in again',
  'error.rateLimited': 'Too many requests; wait a moment and retry',
  'error.server': 'The server failed; retry later (request {id})',
  'error.pageNotFound': 'No such page',
  'error.pageFailed': 'The page failed to load',

  'role.member': 'Member',
  'role.orgs.admin': 'Organizations: manage',
  'role.orgs.reader': 'Organizations: view',
  'role.people.admin': 'Members: manage',
  'role.people.reader': 'Members: view',
  'role.auth.admin': 'Accounts and roles: manage',
  'role.audit.reader': 'Audit log: view',
  'role.training.organizer': 'Training: organize',
  'role.training.reader': 'Training: view',
  'role.news.editor': 'News: write',
  'role.news.chief-editor': 'News: chief editor (publishes)',
  'role.services.manager': 'Huigong Bao: manage (plans, enrolment, contributions)',
  'role.services.reviewer': 'Huigong Bao: review claims',
  'role.services.payer': 'Huigong Bao: pay out',

  'orgLevel.national': 'National',
  'orgLevel.provincial': 'Provincial',
  'orgLevel.industrial': 'National industrial',
  'orgLevel.city': 'City / league',
  'orgLevel.county': 'County / banner / port',
  'orgLevel.grassroots': 'Grassroots union',

  'orgKind.federation': 'Federation of trade unions',
  'orgKind.industrial_union': 'Industrial union',
  'orgKind.port_union': 'Port union',
  'orgKind.union_committee': 'Trade union committee',
  'orgKind.enterprise_union': 'Enterprise union',
  'orgKind.institution_union': 'Public institution union',
  'orgKind.organ_union': 'Government organ union',

  'gender.male': 'Male',
  'gender.female': 'Female',

  'memberStatus.active': 'Active',
  'memberStatus.transferred_out': 'Transferred out',
  'memberStatus.left': 'Left',
  'memberStatus.all': 'Any status',

  'form.required': 'Required',

  'pager.label': 'Pages',
  'pager.previous': 'Previous',
  'pager.next': 'Next',
  'pager.total': '{count, number} in all',
  'pager.totalAtLeast': 'More than {count, number}',
};
