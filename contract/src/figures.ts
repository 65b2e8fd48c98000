import { z } from 'zod';
import { ServicesFigures } from './services.ts';

export const AGE_BANDS = ['under_25', '25_34', '35_44', '45_54', '55_plus', 'unknown'] as const;
export const AgeBand = z.enum(AGE_BANDS);

/**
 * Figures of an organization's whole subtree (itself included). Member counts are
 * memberships: `byStatus` counts all of them, `byGender` and `byAgeBand` the active
 * ones. Age is this year minus the birth year. `training` is the subtree's training reach.
 */
export const SubtreeFigures = z.object({
  orgId: z.number().int(),
  members: z.object({
    active: z.number().int(),
    byStatus: z.object({ active: z.number().int(), transferred_out: z.number().int(), left: z.number().int() }),
    byGender: z.object({ male: z.number().int(), female: z.number().int() }),
    byAgeBand: z.record(AgeBand, z.number().int()),
  }),
  /** Active organizations in the subtree by level (the organization itself included). */
  unionsByLevel: z.object({
    national: z.number().int(), provincial: z.number().int(), industrial: z.number().int(),
    city: z.number().int(), county: z.number().int(), grassroots: z.number().int(),
  }),
  /**
   * Training reach: trainee places in classes, counted under the organization each trainee
   * comes from (the enrolment's organization), so a person in two classes counts twice.
   */
  training: z.object({
    /** Places taken now (enrolment status `enrolled`), on site and by live stream. */
    enrolled: z.object({ onsite: z.number().int(), live: z.number().int() }),
    /** Places given up (enrolment status `withdrawn`). */
    withdrawn: z.number().int(),
    /** Certificates issued to these trainees and not revoked. */
    certified: z.number().int(),
  }),
  /** Huigong Bao: persons covered, contributions, claims (by the members' unions). */
  services: ServicesFigures,
  asOf: z.string(),
});
export type SubtreeFigures = z.infer<typeof SubtreeFigures>;
