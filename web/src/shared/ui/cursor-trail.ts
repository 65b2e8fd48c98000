/**
 * Paging a list read by keyset (a `CursorPage`): the page shown is the one after the cursor in
 * the address (`after=`), and the way back is the trail of the cursors of the pages before it
 * (null: the first page), kept in the history entry's state so that a reload keeps it too.
 */
export type CursorTrail = ReadonlyArray<string | null>;

export const CURSOR_PARAM = 'after';

/** The trail kept in a history entry's state; an address typed or shared has none. */
export function trailOf(state: unknown): CursorTrail {
  const trail = state && typeof state === 'object' ? (state as { cursorTrail?: unknown }).cursorTrail : undefined;
  return Array.isArray(trail) && trail.every((c) => c === null || typeof c === 'string') ? (trail as CursorTrail) : [];
}

export interface CursorStep { after: string | undefined; trail: CursorTrail }

/** The next page: after the shown page's `next`, with the shown page added to the trail. */
export function forward(trail: CursorTrail, current: string | undefined, next: string): CursorStep {
  return { after: next, trail: [...trail, current ?? null] };
}

/** The previous page: the trail's last; the first page when there is no trail (an address opened mid-list). */
export function back(trail: CursorTrail): CursorStep {
  if (trail.length === 0) return { after: undefined, trail: [] };
  return { after: trail.at(-1) ?? undefined, trail: trail.slice(0, -1) };
}
