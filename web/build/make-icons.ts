// Renders the member app's PNG icons from web/public/favicon.svg with Debian's Chromium.
// Run once after changing the logo: node --import tsx web/build/make-icons.ts (the PNGs are committed).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const out = (name: string) => new URL(`../public/app/icons/${name}`, import.meta.url).pathname;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['maskable-512.png', 512, true]] as const) {
  await page.setViewportSize({ width: size, height: size });
  // A maskable icon keeps its picture inside the central 80 % and fills the rest with the background.
  const body = maskable
    ? `<div style="width:${size}px;height:${size}px;background:#c8102e;display:flex;align-items:center;justify-content:center">${svg.replace('<svg ', `<svg width="${size * 0.8}" height="${size * 0.8}" `)}</div>`
    : svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
  await page.setContent(`<html><body style="margin:0;background:transparent">${body}</body></html>`);
  await page.screenshot({ path: out(name), omitBackground: true });
}
await browser.close();
