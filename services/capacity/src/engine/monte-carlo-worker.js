'use strict';
// Worker thread entry: runs a slice of the trials into shared memory and reports back.
const { parentPort, workerData } = require('node:worker_threads');
const { runTrials } = require('./monte-carlo-kernel.js');

runTrials(workerData);
parentPort.postMessage('done');
