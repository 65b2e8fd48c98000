import { createRequire } from 'node:module';

/**
 * exceljs's streaming reader decodes every inflated chunk of the sheet XML on its own
 * (utils/browser-buffer-decode.js), so a Chinese character cut between two chunks turns
 * into "��". This replaces that function with a streaming decoder, which carries a cut
 * character over to the next chunk. It must run before exceljs is loaded (its SAX helper
 * copies the function when it loads): import this module before `exceljs`.
 * One decoder serves the process, so workbooks are read one at a time (`xlsxRows` in
 * read.ts takes turns) and each read starts from a fresh decoder.
 */
const require = createRequire(import.meta.url);
const decodeModule = require('exceljs/lib/utils/browser-buffer-decode.js') as { bufferToString: (chunk: unknown) => string };
let decoder = new TextDecoder('utf-8');
decodeModule.bufferToString = (chunk: unknown) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }));

/** Drops whatever a read that stopped mid-character left in the decoder. */
export function resetUtf8Decoder() {
  decoder = new TextDecoder('utf-8');
}
