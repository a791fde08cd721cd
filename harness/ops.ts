// The functions the harness can audit: softmax (the default), log-softmax and logsumexp. Each has its oracle
// (reference/) and its own set of checks (harness/checks/registry.ts).
export const OPS = ['softmax', 'log-softmax', 'logsumexp'] as const;
export type Op = (typeof OPS)[number];

export function isOp(s: string): s is Op {
  return (OPS as readonly string[]).includes(s);
}
