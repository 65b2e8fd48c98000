import type { Role } from '@workers-home/contract';

export const auditPolicy = {
  read: ['admin', 'auditor'] as readonly Role[],
};
