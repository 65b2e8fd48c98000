import type { WorkbenchCard } from '@workers-home/contract';
import type { WorkbenchContribution } from '../../house/module.ts';
import { scopeOf } from '../../plugins/access.ts';
import { newsPolicy } from './policy.ts';

/** A report unanswered this long shows on the home page. */
export const REPORT_ANSWER_HOURS = 24;

/**
 * News's cards: for chief editors, the articles waiting for them to publish; for everyone in a
 * newsroom, reports from the public left unanswered for more than a day.
 */
export const newsWorkbench: WorkbenchContribution = {
  async cards(db, caller, now) {
    const writeRoots = scopeOf(caller, newsPolicy.write);
    if (writeRoots.length === 0) return [];
    const cards: WorkbenchCard[] = [];
    const publishRoots = scopeOf(caller, newsPolicy.publish);
    if (publishRoots.length) {
      const waiting = await db.query<{ n: number; id: number | null }>(
        `SELECT count(*)::int AS n, min(a.id)::int AS id FROM news_articles a JOIN orgs o ON o.id = a.org_id WHERE o.path <@ $1::ltree[] AND a.status = 'submitted'`, [publishRoots]);
      const { n, id } = waiting.rows[0]!;
      cards.push({ id: 'news.articlesToReview', count: n, link: n === 1 ? `/newsroom/articles/${id}` : '/newsroom?status=submitted' });
    }
    const reports = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM news_reports r JOIN orgs o ON o.id = r.org_id
        WHERE o.path <@ $1::ltree[] AND r.status = 'open' AND r.created_at < $2::timestamptz - make_interval(hours => $3)`, [writeRoots, now, REPORT_ANSWER_HOURS]);
    cards.push({ id: 'news.reportsUnanswered', count: reports.rows[0]!.n, link: '/newsroom/reports' });
    return cards;
  },
};
