import { createRequire } from 'node:module';

/**
 * exceljs's streaming reader decodes every inflated chunk of the sheet XML on its own
 * (utils/browser-buffer-decode.js), so a Chinese character cut between two chunks turns
 * into "��". This replaces that function with a streaming decoder, which carries a cut
 * character over to the next chunk. It must run before exceljs is loaded (its SAX helper
 * copies the function when it loads): import this module before `exceljs`.
 * One decoder serves the process: a workbook's parts are read one after another, each
 * ending on a whole character, and imports run one at a time (ImportQueue).
 */
const require = createRequire(import.meta.url);
const decodeModule = require('exceljs/lib/utils/browser-buffer-decode.js') as { bufferToString: (chunk: unknown) => string };
const decoder = new TextDecoder('utf-8');
decodeModule.bufferToString = (chunk: unknown) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }));
