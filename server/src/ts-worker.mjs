// The entry of a worker thread that runs a TypeScript module: `npm start` runs the server
// through tsx, and a worker thread does not inherit tsx's loader, so it registers it here
// and then imports workerData.module (a file URL).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
