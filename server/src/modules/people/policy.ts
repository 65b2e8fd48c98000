import { MODULE_ACCESS } from '@workers-home/contract';

/** Who may read and change people; always limited to the subtrees where the role is held. */
export const peoplePolicy = MODULE_ACCESS.people;
