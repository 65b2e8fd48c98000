import type { Role } from '@workers-home/contract';

export const authPolicy = {
  /** Accounts and role grants are managed by admins, within their subtrees. */
  manage: ['admin'] as readonly Role[],
};

/** After this many wrong passwords in a row the account is locked for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
