import { z } from 'zod';
import { OrgLevel } from './orgs.ts';

/**
 * What waits for the caller, one card each: every module contributes its own (the home page
 * shows them with their labels, `home.card.<id>` in the web catalogues). Counted within the
 * caller's subtrees only.
 */
export const WORKBENCH_CARD_IDS = [
  'people.importsFailed',
  'people.transfersWaiting',
  'training.classesStarting',
  'training.certificatesToIssue',
  'news.articlesToReview',
  'news.reportsUnanswered',
  'services.claimsToReview',
  'services.batchesToPay',
] as const;
export const WorkbenchCardId = z.enum(WORKBENCH_CARD_IDS);
export type WorkbenchCardId = z.infer<typeof WorkbenchCardId>;

export const WorkbenchCard = z.object({
  id: WorkbenchCardId,
  count: z.number().int().min(0),
  /** Where the caller acts on it: a console path. */
  link: z.string(),
});
export type WorkbenchCard = z.infer<typeof WorkbenchCard>;

export const Workbench = z.object({
  /** The organizations at the top of the caller's subtrees (where a staff role is held), nested ones left out. */
  roots: z.array(z.object({ id: z.number().int(), name: z.string(), level: OrgLevel })),
  cards: z.array(WorkbenchCard),
});
export type Workbench = z.infer<typeof Workbench>;

/** Members of a subtree month by month (China time): joined and ended in the month, active at its end. */
export const FiguresTrend = z.object({
  orgId: z.number().int(),
  months: z.array(z.object({
    /** YYYY-MM */
    month: z.string(),
    joined: z.number().int(),
    ended: z.number().int(),
    activeAtEnd: z.number().int(),
  })),
  asOf: z.string(),
});
export type FiguresTrend = z.infer<typeof FiguresTrend>;
