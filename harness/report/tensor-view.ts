// Showing an encoded tensor to a person: dtype, shape and values, NumPy-style nesting, long tensors cut short.
// The exact values live in the JSON report and the Python snippet; this is for reading.
import { decodeTensorJson, type EncodedTensor } from '../tensor/json-tensor.js';
import { describeShape, sizeOf, valueAt } from '../tensor/tensor.js';

/** How many elements a report shows before cutting. */
export const SHOWN_ELEMENTS = 64;

export function tensorHeader(t: EncodedTensor): string {
  return `${t.dtype} ${describeShape(t.shape)}`;
}

function itemText(x: number | string | boolean): string {
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  return String(x);
}

/** The flat element texts, from either encoding form (base64 is decoded; a broken tensor shows as such). */
function flatItems(t: EncodedTensor): string[] {
  if ('data' in t) return (t.data as (number | string | boolean)[]).map(itemText);
  try {
    const tensor = decodeTensorJson(t, 'report', '');
    const n = Math.min(tensor.data.length, SHOWN_ELEMENTS + 1);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = tensor.data[i];
      out.push(typeof v === 'bigint' ? v.toString() : itemText(valueAt(tensor, i)).replace(/^NaN$/, 'nan').replace(/Infinity/, 'inf'));
    }
    return out;
  } catch {
    return [`<undecodable ${t.base64.length}-character base64>`];
  }
}

function nest(items: string[], shape: readonly number[]): string {
  if (shape.length === 0) return items[0] ?? '';
  const [n, ...rest] = shape;
  const step = sizeOf(rest);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(nest(items.slice(i * step, (i + 1) * step), rest));
  return `[${parts.join(rest.length > 0 ? ',\n ' : ', ')}]`;
}

/** The values as text: nested like NumPy when short, else the first elements in row-major order. */
export function tensorValues(t: EncodedTensor): string {
  const total = sizeOf(t.shape);
  const items = flatItems(t);
  if (total <= SHOWN_ELEMENTS && items.length === total) return nest(items, t.shape);
  const shown = items.slice(0, SHOWN_ELEMENTS);
  return `[${shown.join(', ')}, … ${total - shown.length} more] (row-major)`;
}
