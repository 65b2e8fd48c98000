import { Message, type MessageValues } from '@workers-home/contract/messages';

export type Params = MessageValues;

/** A catalogue's `t(key, params)`: ICU messages (FormatJS's intl-messageformat), each parsed once, on first use. */
export function createTranslator<K extends string>(dictionary: Record<K, string>, locale: string): (key: K, params?: Params) => string {
  const parsed = new Map<K, Message>();
  return (key, params) => {
    let message = parsed.get(key);
    if (!message) {
      message = new Message(dictionary[key] ?? key, locale);
      parsed.set(key, message);
    }
    return message.render(params);
  };
}
