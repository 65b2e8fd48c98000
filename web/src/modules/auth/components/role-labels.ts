import type { Role } from '@workers-home/contract';
import type { MessageKey } from '../../../shared/i18n/catalogue.ts';

export const ROLE_LABEL: Record<Role, MessageKey> = {
  admin: 'role.admin', organizer: 'role.organizer', reviewer: 'role.reviewer', editor: 'role.editor', auditor: 'role.auditor', member: 'role.member',
};
