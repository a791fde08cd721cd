"""JSON encoding of arrays, bit-exact: the Python twin of harness/tensor/json-tensor.ts (keep the two in step).

`data` form: row-major flat list; finite floats as JSON numbers (float.__repr__, the shortest text that parses back
to the same double; float32/float16/bfloat16 values are written as the double they equal), and the strings "nan", "inf",
"-inf", "-0"; int64 outside +-(2^53-1) as decimal strings; bool as 0/1 (true/false also read). NaN payloads are
not kept in this form. `base64` form: the little-endian element bytes, keeping every bit.
Depends on NumPy; bfloat16 also on ml_dtypes (a NumPy extension package), imported only when present: without it
a bfloat16 tensor is refused with a message that says to install it.
"""

from __future__ import annotations

import base64
import binascii
import math
import re

import numpy as np

# dtype name -> little-endian storage dtype
_DTYPES = {
    'float64': np.dtype('<f8'),
    'float32': np.dtype('<f4'),
    'float16': np.dtype('<f2'),
    'int32': np.dtype('<i4'),
    'int64': np.dtype('<i8'),
    'bool': np.dtype('|b1'),
}
try:
    import ml_dtypes as _ml_dtypes
except ImportError:  # bfloat16 tensors are then refused by name (see NO_BFLOAT16)
    _ml_dtypes = None
else:
    _DTYPES['bfloat16'] = np.dtype(_ml_dtypes.bfloat16)  # a void-kind dtype: no byte order of its own
_FLOATS = ('float64', 'float32', 'float16', 'bfloat16')
NO_BFLOAT16 = 'bfloat16 needs the ml_dtypes package, which this Python cannot import (pip install ml_dtypes)'
_SAFE = 2**53 - 1  # beyond this a JSON number no longer names one integer in JavaScript
_DECIMAL = re.compile(r'-?(0|[1-9][0-9]*)\Z')
_BASE64 = re.compile(r'(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z')
_SPECIAL = {'nan': math.nan, 'inf': math.inf, '-inf': -math.inf, '-0': -0.0}
FLOAT_EXPECTED = 'expected a number or "nan"/"inf"/"-inf"/"-0"'


class TensorDecodeError(ValueError):
    """A malformed encoded tensor; `pointer` is the JSON pointer of the culprit (as DataError's in TypeScript)."""

    def __init__(self, pointer: str, problem: str):
        super().__init__(f'{pointer or "/"}: {problem}')
        self.pointer = pointer
        self.problem = problem


def dtype_name(dt: np.dtype) -> str | None:
    """The harness's name for a NumPy dtype (either byte order), or None when the encoding has no such dtype."""
    if dt.kind == 'V':  # ml_dtypes' bfloat16 is the only void dtype with a name here (a plain V2 is not one)
        return 'bfloat16' if 'bfloat16' in _DTYPES and dt == _DTYPES['bfloat16'] else None
    for name, d in _DTYPES.items():
        if dt.kind == d.kind and dt.itemsize == d.itemsize:
            return name
    return None


def encode_array(a: np.ndarray, form: str = 'data') -> dict:
    a = np.asarray(a)
    name = dtype_name(a.dtype)
    if name is None:
        raise TypeError(f'cannot encode dtype {a.dtype.str}: expected float64, float32, float16, bfloat16, int32, int64 or bool')
    # C order, little-endian: the element storage the encoding talks about.
    a = np.asarray(a, dtype=_DTYPES[name], order='C')  # not ascontiguousarray: it turns 0-d into 1-d
    shape = [int(n) for n in a.shape]
    if form == 'base64':
        return {'dtype': name, 'shape': shape, 'base64': base64.b64encode(a.tobytes()).decode('ascii')}
    if form != 'data':
        raise ValueError(f'form must be "data" or "base64", not {form!r}')
    flat = a.reshape(-1)
    if name in _FLOATS:
        with np.errstate(invalid='ignore'):  # a signalling NaN warns when widened; it becomes "nan" anyway
            wide = flat.astype(np.float64)  # exact: every float32/float16/bfloat16 is a double
        data: list = wide.tolist()
        for i in np.flatnonzero(~np.isfinite(wide) | ((wide == 0) & np.signbit(wide))).tolist():
            x = data[i]
            data[i] = 'nan' if math.isnan(x) else 'inf' if x > 0 else '-inf' if x < 0 else '-0'
    elif name == 'int64':
        data = [v if -_SAFE <= v <= _SAFE else str(v) for v in flat.tolist()]
    elif name == 'int32':
        data = flat.tolist()
    else:
        data = [1 if v else 0 for v in flat.tolist()]
    return {'dtype': name, 'shape': shape, 'data': data}


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _integral(v):
    """The int a JSON number denotes when it is an integer (JavaScript cannot tell 3 from 3.0), else None."""
    if isinstance(v, bool) or not _is_number(v):
        return None
    if isinstance(v, float):
        return int(v) if math.isfinite(v) and v.is_integer() else None
    return v


def decode_array(d: dict, pointer: str = '') -> np.ndarray:
    """Decodes and validates one encoded tensor; errors are TensorDecodeError naming the JSON pointer."""

    def fail(where: str, problem: str):
        raise TensorDecodeError(pointer + where, problem)

    if not isinstance(d, dict):
        fail('', 'expected a tensor object {dtype, shape, data | base64}')
    for key in d:
        if key not in ('dtype', 'shape', 'data', 'base64'):
            fail('', f'unexpected property "{key}" in a tensor')
    name = d.get('dtype')
    if name == 'bfloat16' and name not in _DTYPES:
        fail('/dtype', NO_BFLOAT16)
    if not isinstance(name, str) or name not in _DTYPES:
        fail('/dtype', f'expected one of float64, float32, float16, bfloat16, int32, int64, bool; got {name!r}')
    shape = d.get('shape')
    if not isinstance(shape, list):
        fail('/shape', 'expected an array of non-negative integers')
    dims = []
    for i, n in enumerate(shape):
        v = _integral(n)
        if v is None or v < 0 or v > _SAFE:
            fail(f'/shape/{i}', 'expected a non-negative integer')
        dims.append(v)
    size = math.prod(dims)
    dt = _DTYPES[name]
    if ('data' in d) == ('base64' in d):
        fail('', 'a tensor needs exactly one of "data" and "base64"')

    if 'base64' in d:
        text = d['base64']
        if not isinstance(text, str) or not _BASE64.match(text):
            fail('/base64', 'expected a padded standard base64 string')
        try:
            raw = base64.b64decode(text, validate=True)
        except binascii.Error:
            fail('/base64', 'expected a padded standard base64 string')
        if len(raw) != size * dt.itemsize:
            fail('/base64', f'decodes to {len(raw)} bytes; shape {tuple(dims)} of {name} needs {size * dt.itemsize}')
        return np.frombuffer(raw, dtype=dt).reshape(dims).copy()

    data = d['data']
    if not isinstance(data, list):
        fail('/data', 'expected an array of elements in row-major order')
    if len(data) != size:
        fail('/data', f'has {len(data)} elements; shape {tuple(dims)} needs {size}')
    if name in _FLOATS:
        return _decode_floats(data, name, dims, fail)
    out = np.empty(size, dtype=dt)
    for i, item in enumerate(data):
        where = f'/data/{i}'
        if name == 'bool':
            v = _integral(item) if not isinstance(item, bool) else int(item)
            if v not in (0, 1):
                fail(where, 'expected true, false, 0 or 1')
        elif name == 'int32':
            v = _integral(item)
            if v is None or not -(2**31) <= v < 2**31:
                fail(where, 'expected an integer in int32 range')
        else:
            v = _integral(item)
            if v is not None and abs(v) > _SAFE:
                v = None  # JavaScript would have rounded it: such values must be strings
            elif isinstance(item, str) and _DECIMAL.match(item):
                v = int(item)
                if not -(2**63) <= v < 2**63:
                    v = None
            if v is None:
                fail(where, 'expected an int64: an integer within +-(2^53-1), or a decimal string')
        out[i] = v
    return out.reshape(dims)


def _decode_floats(data: list, name: str, dims: list, fail) -> np.ndarray:
    wide = np.empty(len(data), dtype=np.float64)
    for i, item in enumerate(data):
        if isinstance(item, str) and item in _SPECIAL:
            wide[i] = _SPECIAL[item]
        elif _is_number(item):
            try:
                x = float(item)
            except OverflowError:  # a huge int literal; JavaScript reads it as Infinity
                x = math.inf
            if not math.isfinite(x):
                fail(f'/data/{i}', f'{name} number overflows to infinity; write "inf" or "-inf"')
            wide[i] = x
        else:
            fail(f'/data/{i}', FLOAT_EXPECTED)
    dt = _DTYPES[name]
    with np.errstate(over='ignore', invalid='ignore'):
        out = wide.astype(dt)
    # Exact, not a rounding: every non-NaN value must survive the narrowing unchanged (sign of zero included).
    with np.errstate(invalid='ignore'):
        back = out.astype(np.float64)
    nan = np.isnan(wide)
    bad = ~nan & ((back != wide) | (np.signbit(back) != np.signbit(wide)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        nearest = float(back[i])
        shown = 'inf' if nearest == math.inf else '-inf' if nearest == -math.inf else repr(nearest)
        fail(f'/data/{i}', f'{data[i]!r} is not exactly a {name} value (the encoding is exact, not a rounding; '
                           f'the nearest {name} is {shown})')
    # "nan" became math.nan (0x7ff8000000000000), which narrows to NumPy's canonical 0x7fc00000 / 0x7e00: the same bits
    # the TypeScript decoder writes (the cross-language test checks it).
    return out.reshape(dims)
