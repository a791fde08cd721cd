// Worker thread body for sample.ts: draw the cases and post them back (typed arrays are copied by the structured
// clone; a few hundred kilobytes for 2,000 cases).
import { parentPort, workerData } from 'node:worker_threads';
import { sampleNow, type SampleRequest } from './sample.js';

parentPort?.postMessage(sampleNow(workerData as SampleRequest));
