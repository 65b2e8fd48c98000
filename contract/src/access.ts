import { STAFF_ROLES, type RoleName as Role } from './roles.ts';

/**
 * Which roles may do what in each module: the one declaration read by the server's policies
 * (server/src/modules/<module>/policy.ts take their role lists from here), the web app's
 * navigation and the OpenAPI document. Every role reaches only the subtrees of the
 * organizations where it is held.
 */
export const MODULE_ACCESS = {
  /** Every staff role sees the organization tree of its subtrees. */
  orgs: { read: STAFF_ROLES, write: ['orgs.admin'] },
  people: { read: ['people.admin', 'people.reader'], write: ['people.admin'], revealIdNumber: ['people.admin'] },
  auth: { manage: ['auth.admin'] },
  audit: { read: ['audit.reader'] },
  /** The figures of a subtree: every staff role of it. */
  figures: { read: STAFF_ROLES },
  training: { read: ['training.organizer', 'training.reader'], organize: ['training.organizer'] },
  /** Editors write and submit; only the chief editor (责任编辑 in charge) of the owning organization publishes. */
  news: { write: ['news.editor', 'news.chief-editor'], publish: ['news.chief-editor'] },
  /**
   * Huigong Bao: managers keep plans, enrolments and statements and file claims for members;
   * reviewers decide claims waiting at their organizations; payers pay approved claims out.
   * All three read the claims of their subtrees.
   */
  services: {
    read: ['services.manager', 'services.reviewer', 'services.payer'],
    manage: ['services.manager'],
    review: ['services.reviewer'],
    pay: ['services.payer'],
  },
} as const satisfies Record<string, Record<string, readonly Role[]>>;
