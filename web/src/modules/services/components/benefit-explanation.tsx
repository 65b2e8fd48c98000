import { Typography } from 'antd';
import type { BenefitLine, Claim } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { formatFen } from '../../../shared/money.ts';
import { useServicesT, type ServicesTranslate } from '../i18n/use-services-t.ts';

type DateText = (iso: string) => string;

/** One line of the benefit's explanation in words: the server sends codes and numbers, never prose. */
export function lineText(line: BenefitLine, t: ServicesTranslate, claim: Pick<Claim, 'admittedOn' | 'dischargedOn'>, date: DateText): string {
  const fen = (value: number | undefined) => formatFen(value ?? 0);
  const days = line.days ?? 0;
  const running = fen(line.runningFen ?? line.amountFen);
  switch (line.code) {
    case 'days': return t('line.days', { from: date(claim.admittedOn), to: date(claim.dischargedOn), days });
    case 'allowance': return t('line.allowance', { days, daily: fen(line.dailyFen), amount: fen(line.amountFen ?? line.runningFen) });
    case 'deductible': return t('line.deductible', { days, amount: fen(Math.abs(line.amountFen ?? 0)) });
    case 'stay_cap': return t('line.stay_cap', { cap: fen(line.capFen), running });
    case 'year_cap': return t('line.year_cap', { cap: fen(line.capFen), running });
    case 'short_stay': return t('line.short_stay', { days, running });
    case 'no_stays_left': return t('line.no_stays_left', { running });
    case 'adjusted': return line.reason
      ? t('line.adjustedReason', { amount: fen(line.amountFen ?? line.runningFen), reason: line.reason })
      : t('line.adjusted', { amount: fen(line.amountFen ?? line.runningFen) });
    case 'total': return t('line.total', { amount: fen(line.amountFen ?? line.runningFen) });
    case 'year_left': return t('line.year_left', { amount: fen(line.amountFen ?? line.runningFen) });
  }
}

/** The benefit computed from the plan's rules, line by line; the member and the reviewers see the same. */
export function BenefitExplanationList({ claim }: { claim: Claim }) {
  const t = useServicesT();
  const { formatDate } = useLocale();
  return (
    <div data-testid="benefit-explanation">
      <ol className="services-explanation">
        {claim.explanation.lines.map((line, index) => (
          <li key={index} className={line.code === 'total' ? 'services-explanation-total' : undefined}>{lineText(line, t, claim, formatDate)}</li>
        ))}
      </ol>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('claim.ruleVersion', { version: claim.explanation.ruleVersion })}</Typography.Text>
    </div>
  );
}
