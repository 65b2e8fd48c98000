import type { MemberAppMessageKey } from './zh-CN.ts';

/** The member app: its words in English, as ICU messages (plurals where a count is shown). */
export const memberAppEn: Record<MemberAppMessageKey, string> = {
  'memberApp.signInIntro': 'Sign in to see your membership and its history.',
  'memberApp.myUnion': 'My union',
  'memberApp.profile': 'About me',
  'memberApp.history': 'Membership history',
  'memberApp.noRecord': 'This account is not linked to a member record; ask your union.',
  'memberApp.noUnion': 'You are not a member of a union now',
  'memberApp.joinedOn': 'Joined {date}',
  'memberApp.cardNumber': 'Member card number: {number}',
  'memberApp.period': '{from} to {to}',
  'memberApp.periodOpen': 'Since {from}',
  'memberApp.offline': 'You are offline: the app is here, your data will show when you are back online',
};
