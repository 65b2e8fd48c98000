import { MODULE_ACCESS } from '@workers-home/contract';

/** Who may see a subtree's figures: anyone who may read its organizations and members. */
export const figuresPolicy = MODULE_ACCESS.figures;
