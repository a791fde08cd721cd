// decimal.js ships CommonJS typings: under NodeNext its default import is typed as the module object, while at
// run time (decimal.mjs) it is the Decimal class. This re-export gives the class its own type.
import DecimalDefault from 'decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js';

export const Decimal = DecimalDefault as unknown as typeof DecimalClass;
export type Decimal = DecimalClass;
export type DecimalCtor = typeof DecimalClass;
