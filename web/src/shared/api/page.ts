/** One page of a list, as every list endpoint answers it (contract's pageOf). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
