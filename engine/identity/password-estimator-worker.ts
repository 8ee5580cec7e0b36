// The worker thread behind PasswordEstimator: it loads zxcvbn and its dictionaries once, then
// answers each `{ id, password, userInputs }` with `{ id, estimate }` or `{ id, error }`.
import { parentPort } from 'node:worker_threads';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';
import type { EstimateRequest, EstimateReply } from './password-estimator.js';

const estimator = new ZxcvbnFactory({
  dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
  graphs: zxcvbnCommon.adjacencyGraphs,
  translations: zxcvbnEnglish.translations,
});

parentPort!.on('message', ({ id, password, userInputs }: EstimateRequest) => {
  let reply: EstimateReply;
  try {
    const { score, feedback } = estimator.check(password, [...userInputs]);
    const { warning, suggestions } = feedback;
    reply = { id, estimate: { score, warning: warning ?? undefined, suggestions } };
  } catch (error) {
    // Only this request fails; the worker and the requests behind it carry on.
    reply = { id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
