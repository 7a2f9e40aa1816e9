#!/usr/bin/env python3
"""PyTorch peer of `npm run bench:training`: the same end-to-end job (decode, resize,
forward to the pooled 768 features) with the same MobileNet v1 0.75 weights, read
from the same TF.js layers files (model.json + weight shards).

PIL decodes and squashes each image to 224x224 (bilinear), pixels -> x/127.5 - 1,
batches of 32, torch.set_num_threads(2), inference mode. BatchNorm is folded into
the convolutions (as our ONNX conversion does) so both sides run the same arithmetic.
The network and batches use channels_last memory format: on this CPU build it is
about 2x faster than the default NCHW (we measured 17 vs 6-10 img/s forward).
--workers N > 0 decodes in a torch DataLoader with N worker processes instead of inline.

Prints one JSON line: {"images", "seconds", "images_per_second", "threads", "workers", "torch"}.

--serve: load the model once, print {"ready": true, "images": N, "torch": ...}, then for
each stdin line "run <start> <count> <workers>" time files[start:start+count] and print
{"seconds": s}. The Node benchmark uses it to interleave chunks of both engines, so
that both see the same load from other jobs on a shared machine.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


def load_tfjs_layers(model_dir):
    with open(os.path.join(model_dir, "model.json")) as f:
        model = json.load(f)
    weights = {}
    for group in model["weightsManifest"]:
        data = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            arr = np.frombuffer(data, dtype="<f4", count=n, offset=offset).reshape(w["shape"])
            weights[w["name"]] = arr.copy()
            offset += n * 4
    return model, weights


def same_pads(n, k, s):
    out = math.ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


class FoldedConv(torch.nn.Module):
    """Conv (+ folded BatchNorm) + ReLU6 with TensorFlow 'same' padding."""

    def __init__(self, kernel, bias, stride, groups, in_size):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.from_numpy(kernel), requires_grad=False)
        self.bias = torch.nn.Parameter(torch.from_numpy(bias), requires_grad=False)
        self.stride = stride
        self.groups = groups
        k = kernel.shape[2]
        top, bottom = same_pads(in_size, k, stride)
        self.symmetric = top == bottom
        self.pad = (top, bottom, top, bottom)  # left, right, top, bottom (square images)

    def forward(self, x):
        if self.symmetric:
            y = F.conv2d(x, self.weight, self.bias, self.stride, self.pad[0], 1, self.groups)
        else:
            y = F.conv2d(F.pad(x, self.pad), self.weight, self.bias, self.stride, 0, 1, self.groups)
        return F.hardtanh(y, 0.0, 6.0)


def build_mobilenet(model_dir):
    model, w = load_tfjs_layers(model_dir)
    layers = model["modelTopology"]["model_config"]["config"]["layers"]
    mods = []
    size = 224
    i = 0
    while i < len(layers):
        layer = layers[i]
        cls, cfg = layer["class_name"], layer["config"]
        name = cfg["name"]
        if cls in ("Conv2D", "DepthwiseConv2D") and name != "conv_preds":
            bn = layers[i + 1]["config"]["name"]
            assert layers[i + 1]["class_name"] == "BatchNormalization"
            stride = cfg["strides"][0]
            if cls == "Conv2D":
                k = w[f"{name}/kernel"].transpose(3, 2, 0, 1)  # kh,kw,in,out -> out,in,kh,kw
                groups = 1
            else:
                dk = w[f"{name}/depthwise_kernel"]  # kh,kw,in,1
                k = dk.transpose(2, 3, 0, 1)
                groups = dk.shape[2]
            eps = layers[i + 1]["config"].get("epsilon", 1e-3)
            scale = w[f"{bn}/gamma"] / np.sqrt(w[f"{bn}/moving_variance"] + eps)
            shift = w[f"{bn}/beta"] - w[f"{bn}/moving_mean"] * scale
            k = (k * scale[:, None, None, None]).astype(np.float32)
            mods.append(FoldedConv(np.ascontiguousarray(k), shift.astype(np.float32), stride, groups, size))
            size = math.ceil(size / stride)
            i += 3  # conv, bn, relu6
            continue
        if cls == "GlobalAveragePooling2D":
            break
        i += 1
    net = torch.nn.Sequential(*mods)
    net.eval()
    return net


def load_image(path):
    with Image.open(path) as im:
        im = im.convert("RGB").resize((224, 224), Image.BILINEAR)
        a = np.asarray(im, dtype=np.float32)
    return torch.from_numpy(a / 127.5 - 1.0).permute(2, 0, 1)


class Files(torch.utils.data.Dataset):
    def __init__(self, files):
        self.files = files

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return load_image(self.files[i])


def extract(net, files, batch_size, workers):
    feats = []
    if workers > 0:
        loader = torch.utils.data.DataLoader(Files(files), batch_size=batch_size, num_workers=workers)
        for batch in loader:
            feats.append(net(batch.contiguous(memory_format=torch.channels_last)).mean(dim=(2, 3)))
    else:
        for b in range(0, len(files), batch_size):
            batch = torch.stack([load_image(f) for f in files[b : b + batch_size]])
            feats.append(net(batch.contiguous(memory_format=torch.channels_last)).mean(dim=(2, 3)))
    return torch.cat(feats)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--dump", help="write the features of the first 8 images here (.npy)")
    ap.add_argument("--serve", action="store_true", help="time chunks on request (see above)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    net = build_mobilenet(args.model_dir).to(memory_format=torch.channels_last)
    files = sorted(os.path.join(args.images, f) for f in os.listdir(args.images) if not f.startswith("."))
    if args.limit:
        files = files[: args.limit]
    with torch.inference_mode():
        net(torch.zeros(1, 3, 224, 224).contiguous(memory_format=torch.channels_last))  # warm-up, as our side converts the model before timing
        if args.serve:
            print(json.dumps({"ready": True, "images": len(files), "torch": torch.__version__}), flush=True)
            for line in sys.stdin:
                cmd = line.split()
                if not cmd:
                    continue
                if cmd[0] != "run" or len(cmd) != 4:
                    print(json.dumps({"error": f"bad command {line.strip()!r}"}), flush=True)
                    continue
                s, n, workers = int(cmd[1]), int(cmd[2]), int(cmd[3])
                start = time.perf_counter()
                out = extract(net, files[s : s + n], args.batch_size, workers)
                seconds = time.perf_counter() - start
                assert out.shape == (len(files[s : s + n]), 768), out.shape
                print(json.dumps({"seconds": seconds}), flush=True)
            return 0
        start = time.perf_counter()
        out = extract(net, files, args.batch_size, args.workers)
        seconds = time.perf_counter() - start
    assert out.shape == (len(files), 768), out.shape
    if args.dump:
        np.save(args.dump, out[:8].numpy())
    print(json.dumps({
        "images": len(files),
        "seconds": seconds,
        "images_per_second": len(files) / seconds,
        "threads": args.threads,
        "workers": args.workers,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    sys.exit(main())
