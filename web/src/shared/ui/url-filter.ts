import { useSearchParams } from 'react-router';

/**
 * A list's filter kept in the address (so it can be shared and survives a reload): the search
 * parameters, and `update`, which sets or clears some of them; any change but paging goes
 * back to page 1.
 */
export function useUrlFilter() {
  const [search, setSearch] = useSearchParams();
  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    if (!('page' in changes)) next.delete('page');
    setSearch(next);
  };
  return { search, setSearch, update };
}
