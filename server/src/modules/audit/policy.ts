import { MODULE_ACCESS } from '@workers-home/contract';

export const auditPolicy = MODULE_ACCESS.audit;
