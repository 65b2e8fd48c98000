import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * The Chinese font of every PDF the server writes (certificates, contribution notices):
 * Noto Sans SC from the npm package @expo-google-fonts/noto-sans-sc (OFL), pinned in
 * server/package.json, so `npm ci` on a fresh machine is all it takes; its TrueType outlines
 * subset cleanly in pdfkit (only the glyphs used are embedded). Parsed once per process.
 */
const require = createRequire(import.meta.url);
export const CJK_FONT_FILE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

let font: fontkit.Font | undefined;
/** The parsed font, for pdfkit's registerFont. */
export function cjkFont(): fontkit.Font {
  if (!font) {
    let file: string;
    try {
      file = require.resolve(CJK_FONT_FILE);
    } catch {
      throw new Error(`The PDF font ${CJK_FONT_FILE} is missing: run \`npm ci\` (it is a dependency of @workers-home/server)`);
    }
    font = fontkit.create(readFileSync(file)) as fontkit.Font;
  }
  return font;
}

/** Fails at start-up, not at the first PDF, when the font is missing. */
export function checkCjkFont(): void {
  cjkFont();
}

/** A date as Chinese documents write it: 2024年5月20日. */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
