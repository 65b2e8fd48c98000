/** One page of a list, as every list endpoint answers it (contract's pageOf). */
export interface Page<T> {
  items: T[];
  total: number;
  /** True when more items match than were counted: `total` is a lower bound (a broad search). */
  totalAtLeast?: boolean;
  page: number;
  pageSize: number;
}
