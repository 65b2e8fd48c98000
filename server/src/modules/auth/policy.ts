import { MODULE_ACCESS } from '@workers-home/contract';

export const authPolicy = MODULE_ACCESS.auth;

/**
 * Sign-in throttling (ASVS 2.2.1), counted in PostgreSQL so every server process agrees:
 * - after LOCK_AFTER wrong passwords for one username from one address within WINDOW_MINUTES,
 *   that address is locked out of that username (answered exactly as a wrong password), while
 *   the real user elsewhere still signs in;
 * - past LOCK_AFTER failures for a username from all addresses together, each attempt waits a
 *   little longer (SLOW_STEP_MS doubling, at most SLOW_MAX_MS): a spread-out guesser is slowed,
 *   nobody is locked out;
 * - after ADDRESS_LIMIT failures from one address (any usernames) the address gets 429 until
 *   the window passes (an IPv6 address counts as its /64). Right passwords never count, and
 *   the limit leaves room for a venue's typos: 200 trainees at one Wi-Fi sign in together.
 * One username's attempts are serialized (a lock held while they are counted, verified and
 * recorded), so forty guesses at once are five guesses and thirty-five lock-outs.
 */
export const SIGN_IN = {
  LOCK_AFTER: 5,
  WINDOW_MINUTES: 15,
  ADDRESS_LIMIT: 100,
  SLOW_STEP_MS: 250,
  SLOW_MAX_MS: 3000,
} as const;
