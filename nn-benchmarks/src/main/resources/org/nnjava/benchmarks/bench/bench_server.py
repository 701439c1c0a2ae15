"""The Python side of `./nn bench`: runs one reference step (reference_lean.py, reference_book.py,
reference_torch.py, or for the SimpleConvNet reference_convnet_lean.py and reference_convnet.py) on the
data, initial weights and minibatch indices the benchmark wrote, and answers one JSON line per command read
from standard input, so that the benchmark can interleave its timed runs with the Java ones (a
machine that gets busy for a while then slows both alike):

  run START COUNT   COUNT steps on the minibatches START.. of rows.npy: {"ms_per_iter", "losses"}
  gemm N REPEATS    the best rate of an N x N x N product in the dtype: {"gflops"}
  infer COUNT BATCH the predictions of the first COUNT samples in batches (convnet only): {"ms", "correct"}
  quit              {"dtypes" (what the last step computed in), "peak_rss_bytes"}

After loading it prints one ready line with the versions, the BLAS and its threads. Run by hand:
  python3 bench_server.py --kind lean --data DIR --dtype float64 --lr 0.1
"""
import argparse
import ctypes
import importlib
import json
import os
import platform
import re
import sys
import time

import numpy as np


def reply(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def load(directory, dtype):
    """The benchmark's arrays: float64 on disk, converted to the dtype here (float32 values convert exactly)."""
    def array(name):
        return np.load(os.path.join(directory, name + '.npy'), allow_pickle=False)
    x, t = array('x').astype(dtype), array('t').astype(dtype)
    names = sorted(f[:-4] for f in os.listdir(directory) if re.fullmatch(r'[Wb][0-9]+\.npy', f))
    params = {k: array(k).astype(dtype) for k in names}
    return x, t, params, array('rows')


def openblas():
    """(core name, threads) of the OpenBLAS this process loaded, read from the library itself; or Nones."""
    try:
        with open('/proc/self/maps') as maps:
            paths = sorted({line.split()[-1] for line in maps if 'openblas' in line.lower() and '/' in line})
    except OSError:
        return None, None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for suffix in ('', '64_'):
            for prefix in ('scipy_openblas_', 'openblas_'):
                try:
                    corename = getattr(lib, prefix + 'get_corename' + suffix)
                    threads = getattr(lib, prefix + 'get_num_threads' + suffix)
                except AttributeError:
                    continue
                corename.restype = ctypes.c_char_p
                return corename().decode('ascii', 'replace'), int(threads())
    return None, None


def blas_name():
    try:
        blas = np.show_config(mode='dicts')['Build Dependencies']['blas']
        return '%s %s' % (blas.get('name', '?'), blas.get('version', ''))
    except Exception:  # an older NumPy without mode='dicts'
        return 'unknown'


def peak_rss_bytes():
    """VmHWM, this process's peak resident set (ru_maxrss would report the JVM's peak after exec)."""
    try:
        with open('/proc/self/status') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def gemm_rate(n, repeats, dtype):
    rng = np.random.default_rng(7)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    c = np.empty((n, n), dtype=dtype)
    best = float('inf')
    for _ in range(repeats):
        start = time.perf_counter()
        np.matmul(a, b, out=c)
        best = min(best, time.perf_counter() - start)
    return 2.0 * n ** 3 / best / 1e9


def serve(step, rows, dtype):
    clock = time.perf_counter
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            if words[0] == 'run' and len(words) == 3:
                start, count = int(words[1]), int(words[2])
                batches = rows[start:start + count]
                if len(batches) != count:
                    raise ValueError('steps %d..%d asked for, rows.npy has %d' % (start, start + count, len(rows)))
                losses = [0.0] * count
                begin = clock()
                for i in range(count):
                    losses[i] = float(step.step(batches[i]))
                elapsed = clock() - begin
                reply({'ms_per_iter': elapsed * 1000.0 / count, 'losses': losses})
            elif words[0] == 'infer' and len(words) == 3 and hasattr(step, 'infer'):
                begin = clock()
                correct = step.infer(int(words[1]), int(words[2]))
                reply({'ms': (clock() - begin) * 1000.0, 'correct': correct})
            elif words[0] == 'gemm' and len(words) == 3:
                reply({'gflops': gemm_rate(int(words[1]), int(words[2]), dtype)})
            elif words[0] == 'quit':
                reply({'dtypes': step.dtypes(), 'peak_rss_bytes': peak_rss_bytes()})
                return
            else:
                reply({'error': 'unknown command %r: use run START COUNT, gemm N REPEATS or quit' % line.strip()})
        except Exception as e:  # one line the benchmark can show, rather than a traceback it cannot parse
            reply({'error': '%s: %s' % (type(e).__name__, e)})


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--kind', required=True, choices=['lean', 'book', 'torch', 'convnet', 'convnet_lean'])
    p.add_argument('--data', required=True, help='the directory with x, t, the W<k> and b<k> weights and rows .npy files')
    p.add_argument('--dtype', required=True, choices=['float64', 'float32'])
    p.add_argument('--lr', type=float, required=True)
    p.add_argument('--threads', type=int, default=0, help='PyTorch threads (0: its default)')
    a = p.parse_args(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    dtype = np.dtype(a.dtype)
    x, t, params, rows = load(a.data, dtype)
    info = {'ready': True, 'numpy': np.__version__, 'python': platform.python_version(), 'blas': blas_name()}
    if a.kind == 'torch':
        module = importlib.import_module('reference_torch')
        if a.threads > 0:
            module.torch.set_num_threads(a.threads)
        info['torch'], info['threads'] = module.version()
    else:
        module = importlib.import_module('reference_' + a.kind)
    info['blas_core'], info['blas_threads'] = openblas()
    step = module.Step(x, t, params, a.lr)
    reply(info)
    serve(step, rows, dtype)


if __name__ == '__main__':
    main(sys.argv[1:])
