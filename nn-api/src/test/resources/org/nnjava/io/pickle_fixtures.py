"""Writes the pickles PicklesNumpyTest reads, and the values they hold as text, read independently.

python3 pickle_fixtures.py DIR writes into DIR, for each protocol P in 2..5:
  dict_pP.pkl     pickle.dump(a dict of arrays, protocol=P): float32/float64, C and Fortran order,
                  big-endian, 0-d to 4-d, empty, strided, NumPy scalars, an MNIST-sized W1
  ordered_pP.pkl  the same arrays in a collections.OrderedDict, in reverse order
  other_pP.pkl    dict_pP.pkl with NumPy's other module name (numpy.core <-> numpy._core), patched
                  byte by byte (lengths and FRAME sizes adjusted) and checked to load in this NumPy
  small_pP.pkl    a two-array dict, for the truncation test
  object_pP.pkl, int_pP.pkl, list_pP.pkl, nested_pP.pkl, system_pP.pkl: files that must be refused
and expected.txt: one line per array, 'name dtype dims hexbits' with dims comma-separated (empty for
0-d) and the row-major values' IEEE bits, little-endian words as hex; status.txt: the NumPy version,
its native module name, and whether the patched files loaded back in Python.
"""
import collections
import os
import pickle
import pickletools
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(14)

arrays = {
    'W1': rng.standard_normal((2, 3)).astype('<f4'),
    'b1': np.array([0.1, -2.5, 1 / 3], dtype='<f8'),
    'special': np.array([np.nan, np.inf, -np.inf, -0.0, 5e-324, 1e308], dtype='<f8'),
    'special32': np.array([np.nan, np.inf, -0.0, 1e-45, 3.4028235e38], dtype='<f4'),
    'fortran': np.asfortranarray(np.arange(12, dtype='<f8').reshape(3, 4) / 7),
    'fortran3d_f4': np.asfortranarray(rng.standard_normal((2, 3, 4)).astype('<f4')),
    'big_f8': np.arange(6, dtype='>f8').reshape(2, 3) / 3,
    'big_f4_fortran': np.asfortranarray((np.arange(6, dtype='>f4') / 4).reshape(3, 2)),
    'zero_d': np.array(2.5),
    'zero_d_f4': np.array(-1.25, dtype='f4'),
    'four_d': rng.standard_normal((2, 3, 4, 5)).astype('<f4'),
    'conv_W': rng.standard_normal((16, 1, 3, 3)),
    'empty': np.zeros((0, 3)),
    'strided': np.arange(12.0).reshape(3, 4)[:, ::2],
    'scalar': np.float64(-0.75),
    'scalar32': np.float32(3.5),
    'mnist_W1': (rng.standard_normal((784, 50)) * 0.01).astype('<f4'),
}
assert arrays['fortran'].flags.f_contiguous and not arrays['fortran'].flags.c_contiguous


def write(name, obj, protocol):
    with open(os.path.join(out, name), 'wb') as f:
        pickle.dump(obj, f, protocol=protocol)


def expected_line(name, value):
    a = np.asarray(value)
    little = a.dtype.newbyteorder('<')
    words = np.ascontiguousarray(a, dtype=little).ravel(order='C').view('<u%d' % a.dtype.itemsize)
    dims = ','.join(str(d) for d in a.shape)
    bits = ''.join('%0*x' % (2 * a.dtype.itemsize, int(w)) for w in words)
    return '%s f%d %s %s' % (name, a.dtype.itemsize, dims, bits)


def swap_module_names(data, old, new):
    """Renames module prefix old to new in GLOBAL and SHORT_BINUNICODE opcodes, fixing lengths and FRAMEs."""
    ops = list(pickletools.genops(data))
    pieces, frames = [], []
    for i, (op, arg, pos) in enumerate(ops):
        end = ops[i + 1][2] if i + 1 < len(ops) else len(data)
        raw = data[pos:end]
        if op.name == 'GLOBAL' and arg.startswith(old + '.'):
            raw = b'c' + (new + arg[len(old):]).replace(' ', '\n').encode() + b'\n'
        elif op.name == 'SHORT_BINUNICODE' and arg.startswith(old + '.'):
            text = (new + arg[len(old):]).encode()
            raw = b'\x8c' + bytes([len(text)]) + text
        if op.name == 'FRAME':
            frames.append((len(pieces), pos + 9, pos + 9 + arg))
        pieces.append((pos, raw, len(raw) - (end - pos)))
    for index, start, stop in frames:
        delta = sum(d for (pos, _, d) in pieces if start <= pos < stop)
        pos, raw, d = pieces[index]
        pieces[index] = (pos, raw[:1] + (stop - start + delta).to_bytes(8, 'little'), d)
    return b''.join(raw for (_, raw, _) in pieces)


native = 'numpy._core' if pickle.dumps(np.zeros(1), protocol=2).find(b'numpy._core') >= 0 else 'numpy.core'
other = 'numpy.core' if native == 'numpy._core' else 'numpy._core'
status = ['numpy ' + np.__version__, 'native ' + native]

for p in (2, 3, 4, 5):
    write('dict_p%d.pkl' % p, arrays, p)
    write('ordered_p%d.pkl' % p, collections.OrderedDict(reversed(list(arrays.items()))), p)
    write('small_p%d.pkl' % p, {'W': np.arange(6.0).reshape(2, 3), 'b': np.array([0.5], dtype='>f4')}, p)
    with open(os.path.join(out, 'dict_p%d.pkl' % p), 'rb') as f:
        original = f.read()
    patched = swap_module_names(original, native, other)
    assert patched != original and (other + '.').encode() in patched
    with open(os.path.join(out, 'other_p%d.pkl' % p), 'wb') as f:
        f.write(patched)
    try:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            back = pickle.loads(patched)
        same = list(back) == list(arrays) and all(
            np.array_equal(np.asarray(back[k]), np.asarray(v), equal_nan=True) for k, v in arrays.items())
        status.append('other_p%d %s' % (p, 'loads' if same else 'DIFFERS'))
    except Exception as e:  # an older NumPy may not know numpy._core
        status.append('other_p%d unverified %s' % (p, type(e).__name__))
    write('object_p%d.pkl' % p, {'o': np.array([1, 'a'], dtype=object)}, p)
    write('int_p%d.pkl' % p, {'i': np.arange(3, dtype=np.int64)}, p)
    write('list_p%d.pkl' % p, [np.zeros(2)], p)
    write('nested_p%d.pkl' % p, {'layer1': {'W': np.zeros(2)}}, p)
    write('system_p%d.pkl' % p, {'W': np.zeros(2), 'x': os.system}, p)

with open(os.path.join(out, 'expected.txt'), 'w') as f:
    for name, value in arrays.items():
        f.write(expected_line(name, value) + '\n')
with open(os.path.join(out, 'status.txt'), 'w') as f:
    f.write('\n'.join(status) + '\n')
print('ok')
