// Per-element errors of one comparison, kept for the check's error statistics.
import { resultDType, type FloatDType } from '../tensor/dtype.js';
import { toNumbers, type Tensor } from '../tensor/tensor.js';
import { elementError } from '../tolerance/metrics.js';
import type { ElementErrorSample } from './check.js';

export function errorSample(actual: Tensor, expected: Tensor): ElementErrorSample {
  const dtype = resultDType(expected.dtype) as FloatDType;
  const a = toNumbers(actual);
  const e = toNumbers(expected);
  const sample: ElementErrorSample = { ulps: [], abs: [], rel: [], flushed: 0 };
  for (let i = 0; i < e.length; i++) {
    const err = elementError(a[i], e[i], dtype);
    sample.ulps.push(err.ulp);
    sample.abs.push(err.abs);
    sample.rel.push(err.rel);
    if (err.flushed) sample.flushed++;
  }
  return sample;
}
