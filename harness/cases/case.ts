// A case: one input tensor with where it came from. Cases are shared by every implementation and contract.
import type { MemoryLayout } from '../tensor/layout.js';
import type { Tensor } from '../tensor/tensor.js';

export type CaseSource = 'discussion' | 'adversarial' | 'generated' | 'golden';

export interface Case {
  /** stable id, unique within a run, e.g. "discussion/x2" */
  id: string;
  title: string;
  source: CaseSource;
  /** value family ("ordinary", "huge", "nan", ...), used to group error statistics */
  family: string;
  input: Tensor;
  /** fast-check replay data for generated cases */
  seed?: number;
  path?: string;
  /** for the layout check: the input is also handed over in this memory layout (absent: C order only) */
  layout?: MemoryLayout;
  /** its position in the whole list when this case is judged in a share of it (--jobs, --shard): orders failures */
  ordinal?: number;
}
