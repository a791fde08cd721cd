// The inputs the thread itself uses (docs/discussion.md), so its own findings are reproduced.
import { fromNumbers } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import type { Case } from './case.js';

function c(id: string, title: string, dtype: DType, shape: number[], values: number[]): Case {
  return { id: `discussion/${id}`, title, source: 'discussion', family: 'discussion', input: fromNumbers(dtype, shape, values) };
}

export function discussionCases(): Case[] {
  return [
    c('scores', 'the question\'s scores [3.0, 1.0, 0.2]', 'float64', [3], [3.0, 1.0, 0.2]),
    c('scores2D', 'Udacity quiz scores2D (3x4 int)', 'int64', [3, 4], [1, 2, 3, 6, 2, 4, 5, 6, 3, 8, 7, 6]),
    c('x1', 'x1 = [[1, 2, 3, 6]]: one sample in a batch of one', 'int64', [1, 4], [1, 2, 3, 6]),
    c('x2', 'x2: three samples, rows 1 and 3 equal', 'int64', [3, 4], [1, 2, 3, 6, 2, 4, 5, 6, 1, 2, 3, 6]),
    c('x2-float', 'x2 as float64', 'float64', [3, 4], [1, 2, 3, 6, 2, 4, 5, 6, 1, 2, 3, 6]),
    c('overflow-1000-5', '[1000, 5]: exp(1000) overflows', 'float64', [2], [1000, 5]),
    c('logits-1x3x2', '(1, 3, 2) float32 logits (the TensorFlow/SciPy comparison)', 'float32', [1, 3, 2],
      [0.9034822, 0.3930805, 0.62397, 0.6378774, 0.88049906, 0.299172]),
    c('near-equal', 'near-equal logits, two identical rows', 'float64', [2, 4],
      [-0.0052024, -0.00770216, 0.01360943, -0.008921, -0.0052024, -0.00770216, 0.01360943, -0.008921]),
    c('rows-2x3', '[[3, 2, 4], [4, 5, 6]] (int)', 'int64', [2, 3], [3, 2, 4, 4, 5, 6]),
    c('logits-5x3', 'the 5x3 logits of the last answer', 'float64', [5, 3], [1, 2, 3, 3, 10, 1, 1, 2, 5, 4, 6.5, 1.2, 3, 6, 1]),
    c('sklearn-row', 'sklearn example [[0.50839931, 0.49767588, 0.51260159]]', 'float64', [1, 3], [0.50839931, 0.49767588, 0.51260159]),
  ];
}
