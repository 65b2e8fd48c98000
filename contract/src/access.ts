import type { Role } from './auth.ts';

/**
 * Which roles may use each module, for the web app's navigation. The server's policies
 * (server/src/modules/<module>/policy.ts) are the authority; a test keeps the two equal.
 * Every role reaches only the subtrees of the organizations where it is held.
 */
export const MODULE_ACCESS = {
  orgs: { read: ['admin', 'organizer', 'reviewer', 'editor', 'auditor'], write: ['admin'] },
  people: { read: ['admin', 'organizer', 'reviewer', 'auditor'], write: ['admin'], revealIdNumber: ['admin'] },
  auth: { manage: ['admin'] },
  audit: { read: ['admin', 'auditor'] },
  training: { read: ['admin', 'organizer', 'reviewer', 'auditor'], organize: ['admin', 'organizer'] },
} as const satisfies Record<string, Record<string, readonly Role[]>>;
