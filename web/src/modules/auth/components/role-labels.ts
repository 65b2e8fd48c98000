import type { Role } from '@workers-home/contract';
import type { MessageKey } from '../../../shared/i18n/catalogue.ts';

export const ROLE_LABEL: Record<Role, MessageKey> = {
  member: 'role.member',
  'orgs.admin': 'role.orgs.admin',
  'orgs.reader': 'role.orgs.reader',
  'people.admin': 'role.people.admin',
  'people.reader': 'role.people.reader',
  'auth.admin': 'role.auth.admin',
  'audit.reader': 'role.audit.reader',
  'training.organizer': 'role.training.organizer',
  'training.reader': 'role.training.reader',
};
