// Text from a JavaScript candidate, cut to a size the report can hold: shared by the host thread (js-child.mjs) and
// the candidate's thread (js-candidate.mjs).
export const TEXT_LIMIT = 4000;

export const head = (s) => (s.length <= TEXT_LIMIT ? s : `${s.slice(0, TEXT_LIMIT)}\n[... ${s.length - TEXT_LIMIT} more characters]`);
export const tail = (s) => (s.length <= TEXT_LIMIT ? s : `[... ${s.length - TEXT_LIMIT} characters before]\n${s.slice(-TEXT_LIMIT)}`);

export function safeString(v) {
  try {
    return String(v);
  } catch {
    return `<${typeof v} whose String() failed>`;
  }
}

/** Bytes per element of each wire dtype. */
export const ITEMSIZE = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int32: 4, int64: 8, bool: 1 };
