import type { Role } from '@workers-home/contract';

/** Who may do what with organizations; every query is further limited to the subtrees where the role is held. */
export const orgPolicy = {
  read: ['admin', 'organizer', 'reviewer', 'editor', 'auditor'] as readonly Role[],
  write: ['admin'] as readonly Role[],
};
