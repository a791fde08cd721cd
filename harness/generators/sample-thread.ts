// Worker thread body for sample.ts: draw the cases and post them back in chunks as they are drawn, so the main
// thread can start planning the first ones (typed arrays are copied by the structured clone: a few hundred
// kilobytes for 2,000 cases).
import { parentPort, workerData } from 'node:worker_threads';
import { sampleChunks, type SampleRequest } from './sample.js';

sampleChunks(workerData as SampleRequest, (chunk) => parentPort?.postMessage(chunk));
parentPort?.postMessage(null);
