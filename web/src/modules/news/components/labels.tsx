import { Tag } from 'antd';
import type { ArticleStatus } from '@workers-home/contract';
import { useNewsT } from '../i18n/use-news-t.ts';

export const ARTICLE_STATUSES: ArticleStatus[] = ['draft', 'submitted', 'returned', 'scheduled', 'published', 'withdrawn'];
export const CHANNELS = ['union-news', 'training', 'campaigns', 'services', 'grassroots', 'notices'] as const;
const COLORS: Record<ArticleStatus, string> = { draft: 'default', submitted: 'gold', returned: 'orange', scheduled: 'blue', published: 'green', withdrawn: 'red' };

export function StatusTag({ status }: { status: ArticleStatus }) {
  const t = useNewsT();
  return <Tag color={COLORS[status]}>{t(`status.${status}`)}</Tag>;
}

const CHINA = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** An instant as China's wall clock, 2024/06/14 09:30. */
export const chinaTime = (at: string | null) => (at ? CHINA.format(new Date(at)) : '—');
