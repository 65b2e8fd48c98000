import type { BenefitExplanation, BenefitLine, BenefitRules, CodedError } from '@workers-home/contract';

/** What a person has already used of a plan's year: stays claimed and money claimed or paid (fen). */
export interface YearUsage {
  stays: number;
  fen: number;
}

/** Days of a stay: discharge date minus admission date (ISO dates, whole days). */
export function stayDays(admittedOn: string, dischargedOn: string): number {
  return Math.round((Date.parse(`${dischargedOn}T00:00:00Z`) - Date.parse(`${admittedOn}T00:00:00Z`)) / 86_400_000);
}

/**
 * The benefit of one stay by a rule version, with every step explained. The steps always apply
 * in one order — allowance, unpaid first days, the cap per stay, then what is left of the
 * year's cap — so the result never depends on how the rules were written down. Integer fen
 * throughout. A stay the rules do not pay at all is a refusal (the claim is not filed).
 */
export function computeBenefit(rules: BenefitRules, ruleVersion: number, admittedOn: string, dischargedOn: string, used: YearUsage):
  { ok: true; explanation: BenefitExplanation } | { ok: false; field: string; error: CodedError } {
  const days = stayDays(admittedOn, dischargedOn);
  if (days < rules.minStayDays) return { ok: false, field: 'body.dischargedOn', error: { code: 'services.claim.short_stay', params: { min: rules.minStayDays } } };
  if (used.stays >= rules.maxStaysPerYear) return { ok: false, field: 'body.admittedOn', error: { code: 'services.claim.no_stays_left', params: { max: rules.maxStaysPerYear } } };
  const lines: BenefitLine[] = [{ code: 'days', days }];
  let running = days * rules.dailyAllowanceFen;
  lines.push({ code: 'allowance', days, dailyFen: rules.dailyAllowanceFen, amountFen: running, runningFen: running });
  if (rules.deductibleDays > 0) {
    const unpaid = Math.min(rules.deductibleDays, days);
    running -= unpaid * rules.dailyAllowanceFen;
    lines.push({ code: 'deductible', days: unpaid, dailyFen: rules.dailyAllowanceFen, amountFen: -unpaid * rules.dailyAllowanceFen, runningFen: running });
  }
  if (running > rules.perStayCapFen) {
    running = rules.perStayCapFen;
    lines.push({ code: 'stay_cap', capFen: rules.perStayCapFen, runningFen: running });
  }
  const yearLeft = Math.max(0, rules.perYearCapFen - used.fen);
  if (running > yearLeft) {
    running = yearLeft;
    lines.push({ code: 'year_cap', capFen: yearLeft, runningFen: running });
  }
  lines.push({ code: 'total', amountFen: running });
  lines.push({ code: 'year_left', amountFen: yearLeft - running });
  return { ok: true, explanation: { ruleVersion, days, benefitFen: running, lines } };
}

/** The explanation after a reviewer's adjustment: the amount paid and why. */
export function withAdjustment(explanation: BenefitExplanation, amountFen: number, reason: string): BenefitExplanation {
  const lines = explanation.lines.filter((l) => l.code !== 'adjusted');
  return { ...explanation, lines: [...lines, { code: 'adjusted', amountFen, reason }] };
}
