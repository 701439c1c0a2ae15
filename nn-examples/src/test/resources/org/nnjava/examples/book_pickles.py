"""Writes pickles in the shapes of the book's three weight files, and what NumPy predicts with them.

python3 book_pickles.py DIR TESTSET.npz, where TESTSET.npz holds x [N, 784] (the test images as the
tests load them) and t [N] (the labels), writes into DIR, for each protocol P in 3 and 4 (the book's
2016 files are protocol 3, whose globals are GLOBAL opcodes; the 2022 ones protocol 4, with STACK_GLOBAL
and MEMOIZE), small random values in the shapes of
  sample_weight_pP.pkl        ch03/sample_weight.pkl: W1 [784, 50], b1, W2 [50, 100], b2, W3 [100, 10], b3, float32
  params_pP.pkl               ch07/params.pkl (SimpleConvNet): W1 [30, 1, 5, 5], b1, W2 [4320, 100], b2, W3 [100, 10], b3
  deep_convnet_params_pP.pkl  ch08/deep_convnet_params.pkl (DeepConvNet): W1 [16, 1, 3, 3] ... W8 [50, 10], b1 ... b8
and, for the refusals, params_missing.pkl (params without b3) and params_misshapen.pkl (W2 [4320, 90]).
expected.txt has one line per file: 'name accuracy predictions' with the predictions comma-separated,
from the book's forward passes written here in NumPy (ch03/neuralnet_mnist.py; the predict methods of
ch07/simple_convnet.py and ch08/deep_convnet.py, with the book's Dropout at inference, x * (1 - 0.5)).
Prints 'ok' last.
"""
import os
import pickle
import pickletools
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

out, testset = sys.argv[1], sys.argv[2]
data = np.load(testset, allow_pickle=False)
x, t = data['x'], data['t'].astype(np.int64)
rng = np.random.default_rng(8)


def normal(shape, std, dtype='f8'):
    return (rng.standard_normal(shape) * std).astype(dtype)


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def conv(a, w, b, pad):
    """Stride 1: out[n, f, i, j] = b[f] + sum over c, u, v of a_padded[n, c, i + u, j + v] * w[f, c, u, v]."""
    padded = np.pad(a, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(padded, w.shape[2:], axis=(2, 3))  # [n, c, oh, ow, fh, fw], a view
    n, c, oh, ow, fh, fw = windows.shape
    rows = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * fh * fw)
    out = rows @ w.reshape(w.shape[0], -1).T + b
    return out.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)


def pool(a):
    n, c, h, w = a.shape
    a = a[:, :, :h // 2 * 2, :w // 2 * 2]
    return a.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def relu(a):
    return np.maximum(a, 0)


def mlp_scores(p, x):
    z1 = sigmoid(x @ p['W1'] + p['b1'])
    z2 = sigmoid(z1 @ p['W2'] + p['b2'])
    return z2 @ p['W3'] + p['b3']


def simple_scores(p, x):
    a = pool(relu(conv(x.reshape(-1, 1, 28, 28), p['W1'], p['b1'], 0)))
    return relu(a.reshape(a.shape[0], -1) @ p['W2'] + p['b2']) @ p['W3'] + p['b3']


def deep_hidden(p, x):
    a = x.reshape(-1, 1, 28, 28)
    for i, pad in enumerate((1, 1, 1, 2, 1, 1)):
        a = relu(conv(a, p['W%d' % (i + 1)], p['b%d' % (i + 1)], pad))
        if i % 2 == 1:
            a = pool(a)
    return relu(a.reshape(a.shape[0], -1) @ p['W7'] + p['b7'])


def deep_scores(p, x, book_dropout=True):
    h = deep_hidden(p, x)
    if book_dropout:
        h = h * (1 - 0.5)
    scores = h @ p['W8'] + p['b8']
    return scores * (1 - 0.5) if book_dropout else scores


def predictions(scores_of, p):
    chunks = [np.argmax(scores_of(p, x[i:i + 250].astype('f8')), axis=1) for i in range(0, len(x), 250)]
    return np.concatenate(chunks)


sample = {'W1': normal((784, 50), 0.1, 'f4'), 'b1': normal(50, 0.5, 'f4'), 'W2': normal((50, 100), 0.5, 'f4'),
          'b2': normal(100, 0.5, 'f4'), 'W3': normal((100, 10), 0.5, 'f4'), 'b3': normal(10, 0.5, 'f4')}
simple = {'W1': normal((30, 1, 5, 5), 0.3), 'b1': normal(30, 0.1), 'W2': normal((4320, 100), 0.03),
          'b2': normal(100, 0.1), 'W3': normal((100, 10), 0.3), 'b3': normal(10, 0.3)}
deep = {}
for i, shape in enumerate([(16, 1, 3, 3), (16, 16, 3, 3), (32, 16, 3, 3), (32, 32, 3, 3), (64, 32, 3, 3),
                           (64, 64, 3, 3), (1024, 50), (50, 10)]):
    fan_in = int(np.prod(shape[1:])) if len(shape) == 4 else shape[0]
    deep['W%d' % (i + 1)] = normal(shape, np.sqrt(2.0 / fan_in))
    deep['b%d' % (i + 1)] = normal(shape[0] if len(shape) == 4 else shape[1], 0.05)
# b8 cancels the mean of the book's h * (1 - 0.5) @ W8 over images, so that the classes predicted vary, and
# that scaling (and so our W8's) moves predictions.
deep['b8'] = -np.mean(deep_hidden(deep, x[:200].astype('f8')) * 0.5 @ deep['W8'], axis=0)

# The same for the other two: a last bias that cancels the mean scores, so that the classes predicted vary.
sample['b3'] = (-np.mean(mlp_scores(dict(sample, b3=np.zeros(10, 'f4')), x[:200].astype('f8')), axis=0)).astype('f4')
simple['b3'] = -np.mean(simple_scores(dict(simple, b3=np.zeros(10)), x[:200].astype('f8')), axis=0)

files = {'sample_weight': (sample, mlp_scores), 'params': (simple, simple_scores),
         'deep_convnet_params': (deep, deep_scores)}
lines = []
for name, (params, scores_of) in files.items():
    predicted = predictions(scores_of, params)
    lines.append('%s %.17g %s' % (name, float(np.mean(predicted == t)), ','.join(str(int(k)) for k in predicted)))
    for protocol in (3, 4):
        blob = pickle.dumps(params, protocol=protocol)
        ops = {op.name for op, _, _ in pickletools.genops(blob)}
        assert ('GLOBAL' in ops and 'STACK_GLOBAL' not in ops) if protocol == 3 else \
            ('STACK_GLOBAL' in ops and 'MEMOIZE' in ops and 'GLOBAL' not in ops), (name, protocol, ops)
        with open(os.path.join(out, '%s_p%d.pkl' % (name, protocol)), 'wb') as f:
            f.write(blob)
few = x[:200].astype('f8')
assert np.any(np.argmax(deep_scores(deep, few, book_dropout=False), axis=1) != np.argmax(deep_scores(deep, few), axis=1)), \
    'the dropout scaling must change some predictions'

missing = dict(simple)
del missing['b3']
misshapen = dict(simple, W2=normal((4320, 90), 0.03))
for name, params in (('params_missing', missing), ('params_misshapen', misshapen)):
    with open(os.path.join(out, name + '.pkl'), 'wb') as f:
        pickle.dump(params, f, protocol=4)
with open(os.path.join(out, 'expected.txt'), 'w') as f:
    f.write('\n'.join(lines) + '\n')
print('ok')
