// Worker threads start without the TypeScript loader the gateway runs under (`node --import tsx`
// does not reach them in Node 20), so the worker starts here, in plain JavaScript, and loads its
// TypeScript entry (workerData.entry, a file URL) through tsx's API.
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

await tsImport(workerData.entry, import.meta.url);
