/** Helpers for SQL written by hand in the modules. */

/** Text to match literally inside a LIKE/ILIKE pattern (PostgreSQL's default escape is a backslash). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}
