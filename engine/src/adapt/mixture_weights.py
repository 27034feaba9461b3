"""Rebuilds sphinxtrain's mixture_weights file from pocketsphinx's quantised sendump.

The pocketsphinx-en-us package ships the mixture weights only as `sendump` (8-bit, log base
1.0001, shifted), which the decoder reads but sphinxtrain's `bw` does not. This converts them
back to float probabilities (normalised per senone and stream; the quantisation makes this an
approximation) in the s3 binary format `bw` reads.

usage: python3 mixture_weights.py <model>/sendump <out>/mixture_weights
"""
import sys, struct, numpy as np
fh = open(sys.argv[1], 'rb'); fmt = ['<I']
def u(b):
    n = struct.unpack(fmt[0], b)[0]
    if n > 65536:
        fmt[0] = '>I'; n = struct.unpack(fmt[0], b)[0]
    return n
def rs():
    n = u(fh.read(4))
    return None if n == 0 else fh.read(n)[:-1].decode()
title = rs(); hdr = {}
while True:
    h = rs()
    if h is None: break
    p = h.split()
    if len(p) == 2: hdr[p[0]] = p[1]
print(title, hdr, file=sys.stderr)
mixw_shift = int(hdr.get('mixw_shift', 10)); cc = int(hdr.get('cluster_count', 0))
fc = int(hdr['feature_count']); mc = int(hdr.get('mixture_count', 0)); model = int(hdr.get('model_count', 0))
if cc == 0:
    model = u(fh.read(4)); mc = u(fh.read(4))
print('model(codewords)', model, 'mixture(senones)', mc, 'feat', fc, file=sys.stderr)
opdf = np.empty((mc, fc, model))
for i in range(fc):
    for j in range(model):
        m = np.frombuffer(fh.read(mc), dtype=np.uint8).astype(np.int64) << mixw_shift
        opdf[:, i, j] = np.power(1.0001, -m.astype(float))
# normalise per senone/feature
opdf /= opdf.sum(axis=2, keepdims=True)
with open(sys.argv[2], 'wb') as o:
    h = b"s3\nversion 1.0\n"
    lsb = (len(h) + 7) & 3
    h += (b" " * (4 - lsb) if lsb else b"") + b"endhdr\n"
    o.write(h); o.write(struct.pack('<i', 0x11223344))
    o.write(struct.pack('<IIII', mc, fc, model, mc * fc * model))
    opdf.astype('<f4').tofile(o)
