import type { Role } from '@workers-home/contract';

/** Who may see a subtree's figures: anyone who may read its organizations and members. */
export const figuresPolicy = {
  read: ['admin', 'organizer', 'reviewer', 'auditor'] as readonly Role[],
};
