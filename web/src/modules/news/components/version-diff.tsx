import type { ArticleVersion } from '@workers-home/contract';

/** The text of each block of a body (paragraphs, headings, captions), in order. */
function blocks(html: string): string[] {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  return [...doc.body.children].map((e) => (e.textContent ?? '').trim()).filter(Boolean);
}

type Line = { kind: 'same' | 'removed' | 'added'; text: string };

/** A block-by-block comparison (longest common subsequence): what the later version removed and added. */
export function diffBlocks(before: string[], after: string[]): Line[] {
  const n = before.length;
  const m = after.length;
  const common: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    common[i]![j] = before[i] === after[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  }
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) { lines.push({ kind: 'same', text: before[i]! }); i++; j++; }
    else if (j < m && (i === n || common[i]![j + 1]! >= common[i + 1]![j]!)) { lines.push({ kind: 'added', text: after[j]! }); j++; }
    else { lines.push({ kind: 'removed', text: before[i]! }); i++; }
  }
  return lines;
}

const STYLE: Record<Line['kind'], React.CSSProperties> = {
  same: { color: '#555' },
  removed: { background: '#fff1f0', color: '#a8071a', textDecoration: 'line-through' },
  added: { background: '#f6ffed', color: '#135200' },
};

/** Two versions of an article compared: the title, then the body block by block. */
export function VersionDiff({ older, newer }: { older: ArticleVersion; newer: ArticleVersion }) {
  const lines = diffBlocks([older.title, ...blocks(older.bodyHtml)], [newer.title, ...blocks(newer.bodyHtml)]);
  return (
    <div data-testid="version-diff">
      {lines.map((line, n) => (
        <p key={n} style={{ ...STYLE[line.kind], margin: '4px 0', padding: '2px 6px' }}>
          {line.kind === 'removed' ? '− ' : line.kind === 'added' ? '+ ' : ''}{line.text}
        </p>
      ))}
    </div>
  );
}
