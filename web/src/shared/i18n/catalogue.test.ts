import { describe, expect, it } from 'vitest';
import { messageArguments } from '@workers-home/contract/messages';
import { WORKBENCH_CARD_IDS } from '@workers-home/contract';
import { trainingEn } from '../../modules/training/i18n/en.ts';
import { trainingZhCN } from '../../modules/training/i18n/zh-CN.ts';
import { CATALOGUE } from './catalogue.ts';
import { createTranslator } from './translator.ts';

const catalogues = {
  console: { 'zh-CN': CATALOGUE['zh-CN'] as Record<string, string>, en: CATALOGUE.en as Record<string, string> },
  training: { 'zh-CN': trainingZhCN as Record<string, string>, en: trainingEn as Record<string, string> },
};

describe('the web catalogues', () => {
  it.each(Object.keys(catalogues))('%s: every key in both languages, each a valid ICU message with the same arguments', (name) => {
    const { 'zh-CN': zh, en } = catalogues[name as keyof typeof catalogues];
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    const problems: string[] = [];
    for (const key of Object.keys(zh)) {
      const [zhArgs, enArgs] = [messageArguments(zh[key]!, 'zh-CN'), messageArguments(en[key]!, 'en')];
      if (zhArgs.join() !== enArgs.join()) problems.push(`${key}: zh-CN {${zhArgs.join(', ')}}, en {${enArgs.join(', ')}}`);
    }
    expect(problems).toEqual([]);
  });

  it('labels every home-page card the server can send, in both languages', () => {
    for (const id of WORKBENCH_CARD_IDS) {
      expect(CATALOGUE['zh-CN']).toHaveProperty([`home.card.${id}`]);
      expect(CATALOGUE.en).toHaveProperty([`home.card.${id}`]);
    }
    expect(createTranslator(CATALOGUE.en, 'en')('home.card.training.classesStarting', { count: 1 })).toBe('training class starts within 7 days');
  });

  it('says counts in English with their plural, and ids as they are', () => {
    const t = createTranslator(CATALOGUE.en, 'en');
    expect(t('people.total', { count: 1 })).toBe('1 person');
    expect(t('people.total', { count: 1234 })).toBe('1,234 people');
    expect(t('audit.total', { count: 1 })).toBe('1 entry');
    const training = createTranslator(trainingEn, 'en');
    expect(training('import.done', { count: 1 })).toBe('1 trainee imported');
    expect(training('overview.rules', { share: '80%', minutes: 1 })).toBe('attendance at least 80%, online study at least 1 minute');
    expect(t('memberApp.cardNumber', { number: 20240001 })).toBe('Member card number: 20240001');
    expect(createTranslator(CATALOGUE['zh-CN'], 'zh-CN')('people.total', { count: 3 })).toBe('共 3 人');
  });
});
