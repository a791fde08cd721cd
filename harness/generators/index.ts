// Public entry of the generators: shapes, dtypes, value families and the combined case arbitrary.
export { shapeArb, fitShape, DEFAULT_MAX_SIZE, type ShapeOptions } from './shapes.js';
export { AUDIT_DTYPES, dtypeArb, GENERATABLE_DTYPES, GENERATED_DTYPES } from './dtypes.js';
export { FAMILIES, FAMILY_SPECS, familySpec, familyValues, valueParamsArb, type FamilySpec, type ValueParams } from './families.js';
export { caseArb, type CaseOptions, type GeneratedCase } from './cases.js';
export { FLOAT_LIMITS, INT_LIMITS, roundTo, isExactIn, stepUlps, type FloatLimits } from './limits.js';
