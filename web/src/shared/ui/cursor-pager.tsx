import { Button, Flex, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useLocation, useSearchParams } from 'react-router';
import { useT } from '../i18n/locale.tsx';
import { back, CURSOR_PARAM, forward, trailOf, type CursorStep } from './cursor-trail.ts';
import './cursor-pager.css';

/** The `after` of the page shown, from the address; undefined on the first page. */
export function useCursor(): string | undefined {
  return useSearchParams()[0].get(CURSOR_PARAM) ?? undefined;
}

/**
 * Previous / next for a list read by keyset (a `CursorPage`), with its total. The cursor is in
 * the address, so a reload or a shared link keeps the page; the way back is kept in the history
 * entry (cursor-trail.ts), and the browser's own back button works too. A filter that changes
 * must drop `after` (start again from the first page).
 */
export function CursorPager({ next, total, totalAtLeast, busy }: {
  /** The shown page's `next`; null on the last page, undefined while nothing is loaded. */
  next: string | null | undefined;
  total: number | undefined;
  totalAtLeast?: boolean | undefined;
  /** A page is loading: both buttons wait, so a double click cannot skip a page. */
  busy?: boolean;
}) {
  const t = useT();
  const [search, setSearch] = useSearchParams();
  const location = useLocation() as { state: unknown };
  const after = search.get(CURSOR_PARAM) ?? undefined;
  const trail = trailOf(location.state);
  const go = (step: CursorStep) => {
    const params = new URLSearchParams(search);
    if (step.after === undefined) params.delete(CURSOR_PARAM);
    else params.set(CURSOR_PARAM, step.after);
    const state = location.state && typeof location.state === 'object' ? location.state : {};
    setSearch(params, { state: { ...state, cursorTrail: step.trail } });
    // The new page is read from its top (on a phone the buttons are below a long list of cards).
    window.scrollTo({ top: 0 });
  };
  return (
    <Flex component="nav" aria-label={t('pager.label')} className="wh-cursor-pager" wrap align="center" justify="space-between" gap={8}>
      <Typography.Text type="secondary" data-testid="pager-total">
        {total === undefined ? null : t(totalAtLeast ? 'pager.totalAtLeast' : 'pager.total', { count: total })}
      </Typography.Text>
      <Flex gap={8}>
        <Button icon={<LeftOutlined />} disabled={busy || after === undefined} onClick={() => go(back(trail))}>{t('pager.previous')}</Button>
        <Button icon={<RightOutlined />} iconPlacement="end" disabled={busy || !next} onClick={() => next && go(forward(trail, after, next))}>{t('pager.next')}</Button>
      </Flex>
    </Flex>
  );
}
