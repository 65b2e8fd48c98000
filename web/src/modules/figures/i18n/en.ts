import type { FiguresMessageKey } from './zh-CN.ts';

/** The figures (statistics) module: its words in English, as ICU messages (plurals where a count is shown). */
export const figuresEn: Record<FiguresMessageKey, string> = {
  'figures.training.title': 'Training reach',
  'figures.training.enrolledOnsite': 'Enrolled on site',
  'figures.training.enrolledLive': 'Enrolled remote (live)',
  'figures.training.withdrawn': 'Withdrawn',
  'figures.training.certified': 'Valid certificates',
  'figures.training.note': 'Places in training classes taken by trainees from this organization and every one below it, counted where each trainee comes from; a person in two classes counts twice. Revoked certificates are left out.',

  'ageBand.-30': '30 or younger',
  'ageBand.31-40': '31–40',
  'ageBand.41-50': '41–50',
  'ageBand.51-60': '51–60',
  'ageBand.61-': '61 or older',
};
