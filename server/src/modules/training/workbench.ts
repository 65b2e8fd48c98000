import type { WorkbenchCard } from '@workers-home/contract';
import { chinaDate } from '../../china-time.ts';
import type { WorkbenchContribution } from '../../house/module.ts';
import { scopeOf } from '../../plugins/access.ts';
import { completionCtes } from './completion.ts';
import { trainingPolicy, visibleClassSql } from './policy.ts';

// Classes whose certificates are still looked for: those that ended within this many days.
const CERTIFICATE_WINDOW_DAYS = 60;

const linkTo = (ids: number[], tab?: string) =>
  (ids.length === 1 ? `/training/classes/${ids[0]}${tab ? `?tab=${tab}` : ''}` : '/training');

/**
 * The training module's cards: classes the caller sees that start within the coming week
 * (China days), and, for organizers, trainees who completed a class of theirs that ended
 * lately and have no certificate yet.
 */
export const trainingWorkbench: WorkbenchContribution = {
  async cards(db, caller, now) {
    const readRoots = scopeOf(caller, trainingPolicy.read);
    if (readRoots.length === 0) return [];
    const today = chinaDate(now);
    const starting = await db.query<{ id: number }>(
      `SELECT c.id FROM training_classes c JOIN orgs o ON o.id = c.org_id
        WHERE ${visibleClassSql('$1::ltree[]')} AND c.status <> 'closed'
          AND c.starts_on BETWEEN $2::date AND $2::date + 6 ORDER BY c.starts_on, c.id`,
      [readRoots, today],
    );
    const cards: WorkbenchCard[] = [{ id: 'training.classesStarting', count: starting.rowCount ?? 0, link: linkTo(starting.rows.map((r) => r.id)) }];

    const ownRoots = scopeOf(caller, trainingPolicy.organize);
    if (ownRoots.length === 0) return cards;
    const ended = await db.query<{ id: number }>(
      `SELECT c.id FROM training_classes c JOIN orgs o ON o.id = c.org_id
        WHERE o.path <@ $1::ltree[] AND c.status <> 'draft'
          AND c.ends_on < $2::date AND c.ends_on >= $2::date - $3::int ORDER BY c.ends_on DESC, c.id`,
      [ownRoots, today, CERTIFICATE_WINDOW_DAYS],
    );
    let waiting = 0;
    const classes: number[] = [];
    // One class at a time: completion is computed per class (a few classes end in any window).
    for (const { id } of ended.rows) {
      const result = await db.query<{ n: number }>(
        `WITH ${completionCtes()}
         SELECT count(*)::int AS n FROM completion c
         LEFT JOIN training_certificates tc ON tc.province_id = c.province_id AND tc.enrolment_id = c.enrolment_id AND tc.revoked_at IS NULL
         WHERE c.status = 'completed' AND tc.id IS NULL`,
        [id, null],
      );
      const n = result.rows[0]!.n;
      if (n > 0) { waiting += n; classes.push(id); }
    }
    cards.push({ id: 'training.certificatesToIssue', count: waiting, link: linkTo(classes, 'certificates') });
    return cards;
  },
};
