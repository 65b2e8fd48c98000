import { MODULE_ACCESS } from '@workers-home/contract';

/** Who may do what with organizations; every query is further limited to the subtrees where the role is held. */
export const orgPolicy = MODULE_ACCESS.orgs;
