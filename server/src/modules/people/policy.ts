import type { Role } from '@workers-home/contract';

/** Who may read and change people; always limited to the subtrees where the role is held. */
export const peoplePolicy = {
  read: ['admin', 'organizer', 'reviewer', 'auditor'] as readonly Role[],
  write: ['admin'] as readonly Role[],
  /** May ask for a full national ID number (each reveal is audited). */
  revealIdNumber: ['admin'] as readonly Role[],
};
