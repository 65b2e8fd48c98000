import type { Role } from '@workers-home/contract';

/**
 * Who may use training, always within the subtrees where the role is held.
 * - read: see classes organized in, or meant for, the caller's subtrees, and their reports;
 * - organize: plan classes, keep timetables, enrol trainees, run check-in, issue certificates.
 *   An organizer of a subtree that a class is meant for (its audience) may enrol and check in
 *   their own people, and sees only their own people's enrolments.
 * Trainees use the 'signed-in' routes under /api/my/… with their own person only.
 */
export const trainingPolicy = {
  read: ['admin', 'organizer', 'reviewer', 'auditor'] as readonly Role[],
  organize: ['admin', 'organizer'] as readonly Role[],
};
