import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * Runs axe-core in the page and returns the serious and critical violations, described.
 * Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') stays as users get it.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await settleAnimations(page);
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n')}`);
}

/**
 * Waits for the page's finite CSS transitions and animations to end. A control that has just been
 * enabled fades from its disabled colours over ~0.2 s; measured mid-fade its contrast is neither
 * what a user reads nor stable, and axe would report it at random. Endless ones (spinners) are skipped.
 */
async function settleAnimations(page: Page): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const pending = await page.evaluate(async () => {
      const finite = document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity);
      await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
      return finite.length;
    });
    if (pending === 0) return;
  }
}
