/** One page of a list, as every list endpoint answers it (contract's pageOf). */
export interface Page<T> {
  items: T[];
  total: number;
  /** True when more items match than were counted: `total` is a lower bound (a broad search). */
  totalAtLeast?: boolean;
  page: number;
  pageSize: number;
}

/** One page of a list read by keyset (contract's cursorPageOf): `next` is the following page's `after`. */
export interface CursorPage<T> {
  items: T[];
  total: number;
  totalAtLeast?: boolean;
  pageSize: number;
  next: string | null;
}
