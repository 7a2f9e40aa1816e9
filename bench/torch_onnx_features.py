#!/usr/bin/env python3
"""PyTorch peer of `npm run bench:training` for ONNX backbones (MobileNet v2 1.0): the same end-to-end job (decode,
resize, forward to the pooled features) with the same weights, read from the same model.onnx.

No `onnx` Python package is needed (none is installed on the course machines): a small protobuf reader loads the
graph, and the graph is run node by node with torch operators (Conv, Clip, Add, Pad, Transpose, ReduceMean and the
small shape arithmetic TF-style "SAME" padding needs). The convolutions, which are all of the time, are
torch.nn.functional.conv2d on channels_last tensors, the fastest layout on this CPU build (see
torch_mobilenet_features.py).

PIL decodes and squashes each image to --size x --size (bilinear), pixels as the manifest says (x / 127.5 - 1, NHWC),
batches of 32, torch.set_num_threads(2), inference mode. Same --serve protocol as torch_mobilenet_features.py:
prints {"ready": true, "images": N, "torch": ..., "features": C}, then answers "run <start> <count> <workers>" lines
with {"seconds": s}.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


def varint(b, pos):
    result = shift = 0
    while True:
        byte = b[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def fields(b):
    """(field, wire, value): value is an int for varints, bytes otherwise."""
    pos = 0
    out = []
    while pos < len(b):
        tag, pos = varint(b, pos)
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            v, pos = varint(b, pos)
        elif wire == 1:
            v, pos = b[pos : pos + 8], pos + 8
        elif wire == 5:
            v, pos = b[pos : pos + 4], pos + 4
        elif wire == 2:
            n, pos = varint(b, pos)
            v, pos = b[pos : pos + n], pos + n
        else:
            raise ValueError(f"wire type {wire}")
        out.append((field, wire, v))
    return out


def ints(wire, v):
    """A repeated int64 field, packed (wire 2) or not."""
    if wire == 0:
        return [signed(v)]
    vals, pos = [], 0
    while pos < len(v):
        x, pos = varint(v, pos)
        vals.append(signed(x))
    return vals


DTYPES = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 11: np.float64}


def tensor(b):
    dims, dtype, name, raw, floats, int64s = [], 1, "", None, [], []
    for f, w, v in fields(b):
        if f == 1:
            dims += ints(w, v)
        elif f == 2:
            dtype = v
        elif f == 4:
            floats += list(struct.unpack(f"<{len(v) // 4}f", v)) if w == 2 else [struct.unpack("<f", v)[0]]
        elif f == 7:
            int64s += ints(w, v)
        elif f == 8:
            name = v.decode()
        elif f == 9:
            raw = v
    np_type = DTYPES[dtype]
    if raw is not None:
        arr = np.frombuffer(raw, dtype=np.dtype(np_type).newbyteorder("<")).copy()
    elif floats:
        arr = np.array(floats, dtype=np.float32)
    else:
        arr = np.array(int64s, dtype=np_type)
    return name, torch.from_numpy(arr.reshape(dims))


def attribute(b):
    name, value = "", None
    for f, w, v in fields(b):
        if f == 1:
            name = v.decode()
        elif f == 2:
            value = struct.unpack("<f", v)[0]
        elif f == 3:
            value = signed(v)
        elif f == 4:
            value = v.decode()
        elif f == 5:
            value = tensor(v)[1]
        elif f == 8:
            value = (value or []) + ints(w, v)
    return name, value


def load_graph(path):
    model = open(path, "rb").read()
    graph = next(v for f, w, v in fields(model) if f == 7)
    nodes, weights, inputs, outputs = [], {}, [], []
    for f, w, v in fields(graph):
        if f == 1:
            node = {"inputs": [], "outputs": [], "attrs": {}}
            for nf, nw, nv in fields(v):
                if nf == 1:
                    node["inputs"].append(nv.decode())
                elif nf == 2:
                    node["outputs"].append(nv.decode())
                elif nf == 4:
                    node["op"] = nv.decode()
                elif nf == 5:
                    k, val = attribute(nv)
                    node["attrs"][k] = val
            nodes.append(node)
        elif f == 5:
            name, t = tensor(v)
            weights[name] = t
        elif f in (11, 12):
            name = next(vv.decode() for ff, ww, vv in fields(v) if ff == 1)
            (inputs if f == 11 else outputs).append(name)
    inputs = [i for i in inputs if i not in weights]
    return nodes, weights, inputs, outputs


class OnnxNet:
    """Runs the graph node by node; 4-D float activations stay channels_last."""

    def __init__(self, path):
        self.nodes, self.weights, self.inputs, self.outputs = load_graph(path)
        for k, t in self.weights.items():
            if t.dim() == 4 and t.dtype == torch.float32:
                self.weights[k] = t.contiguous(memory_format=torch.channels_last)

    def __call__(self, x):
        env = dict(self.weights)
        env[self.inputs[0]] = x
        for n in self.nodes:
            a = [env[i] if i else None for i in n["inputs"]]
            at = n["attrs"]
            op = n["op"]
            if op == "Constant":
                y = at["value"]
            elif op == "Conv":
                s = at.get("strides", [1, 1])
                p = at.get("pads", [0, 0, 0, 0])
                assert p[0] == p[2] and p[1] == p[3], p
                y = F.conv2d(a[0], a[1], a[2] if len(a) > 2 else None, s, (p[0], p[1]), at.get("dilations", [1, 1]), at.get("group", 1))
            elif op == "Clip":
                lo = a[1].item() if len(a) > 1 and a[1] is not None else at.get("min", -float("inf"))
                hi = a[2].item() if len(a) > 2 and a[2] is not None else at.get("max", float("inf"))
                y = F.hardtanh(a[0], lo, hi) if (lo, hi) == (0.0, 6.0) else torch.clamp(a[0], lo, hi)
            elif op == "Relu":
                y = F.relu(a[0])
            elif op == "Add":
                y = a[0] + a[1]
            elif op == "Transpose":
                y = a[0].permute(*at["perm"])
            elif op == "Pad":
                pads = [int(v) for v in a[1].tolist()]
                r = len(pads) // 2
                torch_pads = []
                for d in reversed(range(r)):
                    torch_pads += [pads[d], pads[d + r]]
                value = a[2].item() if len(a) > 2 and a[2] is not None else 0.0
                y = F.pad(a[0], torch_pads, mode="constant", value=value)
            elif op == "ReduceMean":
                axes = at.get("axes") if "axes" in at else a[1].tolist()
                y = a[0].mean(dim=tuple(axes), keepdim=bool(at.get("keepdims", 1)))
            elif op == "GlobalAveragePool":
                y = a[0].mean(dim=(2, 3), keepdim=True)
            elif op == "Flatten":
                y = a[0].flatten(at.get("axis", 1))
            elif op == "Reshape":
                shape = [int(v) for v in a[1].tolist()]
                shape = [a[0].shape[i] if v == 0 else v for i, v in enumerate(shape)]
                y = a[0].reshape(shape)
            elif op == "Shape":
                y = torch.tensor(a[0].shape, dtype=torch.int64)
            elif op == "Gather":
                y = torch.index_select(a[0], at.get("axis", 0), a[1].reshape(-1)).reshape(a[1].shape + a[0].shape[1:] if at.get("axis", 0) == 0 else None)
            elif op == "ConstantOfShape":
                v = at.get("value", torch.zeros(1))
                y = torch.full([int(d) for d in a[0].tolist()], v.reshape(-1)[0].item(), dtype=v.dtype)
            elif op == "Concat":
                y = torch.cat(a, dim=at["axis"])
            elif op == "Slice":
                data, starts, ends = a[0], a[1].tolist(), a[2].tolist()
                axes = a[3].tolist() if len(a) > 3 and a[3] is not None else list(range(len(starts)))
                steps = a[4].tolist() if len(a) > 4 and a[4] is not None else [1] * len(starts)
                idx = [slice(None)] * data.dim()
                for s_, e_, ax, st in zip(starts, ends, axes, steps):
                    n_ = data.shape[ax]
                    if st < 0:
                        # Reversed shape arithmetic (pads order); ONNX clamps start to [0, n-1], end to [-1, n-1].
                        s_ = min(max(s_ + n_ if s_ < 0 else s_, 0), n_ - 1)
                        e_ = e_ + n_ if e_ < 0 else e_
                        e_ = min(max(e_, -1), n_ - 1)
                        keep = list(range(s_, e_, st))
                        data = torch.index_select(data, ax, torch.tensor(keep, dtype=torch.int64))
                        idx[ax] = slice(None)
                        continue
                    s_ = max(0, s_ + n_ if s_ < 0 else min(s_, n_))
                    e_ = max(0, e_ + n_ if e_ < 0 else min(e_, n_))
                    idx[ax] = slice(s_, e_, st)
                y = data[tuple(idx)]
            elif op == "Cast":
                y = a[0].to({1: torch.float32, 6: torch.int32, 7: torch.int64}[at["to"]])
            else:
                raise NotImplementedError(f"ONNX op {op}")
            for name in n["outputs"]:
                env[name] = y
        return env[self.outputs[0]]


def load_image(path, size):
    with Image.open(path) as im:
        im = im.convert("RGB").resize((size, size), Image.BILINEAR)
        a = np.asarray(im, dtype=np.float32)
    return torch.from_numpy(a / 127.5 - 1.0)  # HWC, the manifest's NHWC layout


class Files(torch.utils.data.Dataset):
    def __init__(self, files, size):
        self.files, self.size = files, size

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return load_image(self.files[i], self.size)


def extract(net, files, batch_size, workers, size):
    feats = []
    if workers > 0:
        loader = torch.utils.data.DataLoader(Files(files, size), batch_size=batch_size, num_workers=workers)
        for batch in loader:
            feats.append(net(batch).reshape(len(batch), -1))
    else:
        for b in range(0, len(files), batch_size):
            batch = torch.stack([load_image(f, size) for f in files[b : b + batch_size]])
            feats.append(net(batch).reshape(len(batch), -1))
    return torch.cat(feats)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="model.onnx (NHWC input scaled x / 127.5 - 1, pooled features out)")
    ap.add_argument("--images", required=True)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--dump", help="write the features of the first 8 images here (.npy)")
    ap.add_argument("--serve", action="store_true", help="time chunks on request (see above)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    net = OnnxNet(args.model)
    files = sorted(os.path.join(args.images, f) for f in os.listdir(args.images) if not f.startswith("."))
    if args.limit:
        files = files[: args.limit]
    with torch.inference_mode():
        dim = net(torch.zeros(1, args.size, args.size, 3)).numel()  # warm-up, and the feature width
        if args.dump:
            np.save(args.dump, extract(net, files[:8], args.batch_size, 0, args.size).numpy())
            return 0
        if args.serve:
            print(json.dumps({"ready": True, "images": len(files), "torch": torch.__version__, "features": dim}), flush=True)
            for line in sys.stdin:
                cmd = line.split()
                if not cmd:
                    continue
                if cmd[0] != "run" or len(cmd) != 4:
                    print(json.dumps({"error": f"bad command {line.strip()!r}"}), flush=True)
                    continue
                s, n, workers = int(cmd[1]), int(cmd[2]), int(cmd[3])
                start = time.perf_counter()
                out = extract(net, files[s : s + n], args.batch_size, workers, args.size)
                seconds = time.perf_counter() - start
                assert out.shape == (len(files[s : s + n]), dim), out.shape
                print(json.dumps({"seconds": seconds}), flush=True)
            return 0
        start = time.perf_counter()
        out = extract(net, files, args.batch_size, args.workers, args.size)
        seconds = time.perf_counter() - start
    print(json.dumps({"images": len(files), "seconds": seconds, "images_per_second": len(files) / seconds, "size": args.size, "torch": torch.__version__}))


if __name__ == "__main__":
    sys.exit(main())
