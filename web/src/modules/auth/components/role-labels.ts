import type { Role } from '@workers-home/contract';
import type { MessageKey } from '../../../shared/i18n/catalogue.ts';

/**
 * A role's label is the message 'role.<role>' in its module's catalogue (or the shared one);
 * server/test/house.test.ts checks that every declared role has it in both languages.
 */
export const roleLabel = (role: Role) => `role.${role}` as MessageKey;
