import { IntlMessageFormat } from 'intl-messageformat';

/** The nodes of an ICU message (intl-messageformat's AST) this module reads. */
interface MessageElement {
  type: number;
  value?: string;
  options?: Record<string, { value: MessageElement[] }>;
}
// @formatjs/icu-messageformat-parser's TYPE: literal 0, argument 1, number 2, select 5, plural 6, pound 7.
const LITERAL = 0, NUMBER = 2, PLURAL = 6, POUND = 7;

function walk(elements: MessageElement[], visit: (element: MessageElement) => void) {
  for (const element of elements) {
    visit(element);
    for (const option of Object.values(element.options ?? {})) walk(option.value, visit);
  }
}

export type MessageValues = Record<string, string | number>;

/**
 * One ICU message (FormatJS's intl-messageformat), ready to format. An argument shown as it
 * is (`{id}`, `{year}`) is shown exactly as given, never as a grouped number ("2,024"); one
 * counted by a plural or formatted as a number is a number. A missing argument shows as its
 * name in braces rather than throwing.
 */
export class Message {
  private readonly format: IntlMessageFormat;
  /** Every argument the message uses, plain or counted. */
  readonly arguments: ReadonlySet<string>;
  private readonly counted: ReadonlySet<string>;

  constructor(readonly text: string, locale: string) {
    this.format = new IntlMessageFormat(text, locale, undefined, { ignoreTag: true });
    const all = new Set<string>();
    const counted = new Set<string>();
    walk(this.format.getAst(), (element) => {
      if (element.type === LITERAL || element.type === POUND || !element.value) return;
      all.add(element.value);
      if (element.type === NUMBER || element.type === PLURAL) counted.add(element.value);
    });
    this.arguments = all;
    this.counted = counted;
  }

  render(values?: MessageValues): string {
    const given: Record<string, string | number> = {};
    for (const name of this.arguments) {
      const value = values?.[name];
      if (this.counted.has(name)) given[name] = typeof value === 'number' ? value : Number(value ?? Number.NaN);
      else given[name] = value === undefined ? `{${name}}` : String(value);
    }
    try {
      return String(this.format.format(given));
    } catch {
      return this.text;
    }
  }
}

/** The argument names of an ICU message (for tests: both languages of a key use the same ones). */
export const messageArguments = (text: string, locale: string) => [...new Message(text, locale).arguments].sort();
