#!/usr/bin/python3
"""PyTorch counterparts of `riskstep train` for bench/gpu/run.sh: the same ResNet-20 (the model of
bench/stepnet_ddp_reference.py), Fashion-MNIST, random crop (pad 4) + flip, SGD momentum 0.9 and
weight decay 1e-4 at lr 0.1 x batch/128, one process on one device. Two input paths:
  --input device      PyTorch done well: the image set on the device, each batch gathered,
                      cropped and flipped there in one indexing op, loss summed on the device and
                      read once at the end (no per-step host sync); --bf16 adds autocast bf16 and
                      channels_last
  --input dataloader  the ordinary path: a Dataset that crops and flips per sample on the host,
                      a DataLoader with workers and pinned memory, .item() of the loss every step
Times steady state (after --warmup steps) and prints one line:
  images_per_second=<x> input=<device|dataloader> batch=<b> steps=<k> device=<d> bf16=<0|1>
"""
import argparse
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from stepnet_ddp_reference import ResNet  # noqa: E402  the same model as the CPU benchmark


def read_idx(path):
    with (gzip.open(path) if path.endswith(".gz") else open(path, "rb")) as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir):
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(data_dir, name)):
                return os.path.join(data_dir, name)
        sys.exit(f"{data_dir}: no {stem}(.gz)")
    images = read_idx(find("train-images-idx3-ubyte"))[:, None, :, :]
    labels = read_idx(find("train-labels-idx1-ubyte")).astype(np.int64)
    return images, labels


def device_path(args, images, labels, device):
    padded = torch.from_numpy(np.pad(images, ((0, 0), (0, 0), (4, 4), (4, 4)))).to(device)
    labels = torch.from_numpy(labels).to(device)
    n, h, w = images.shape[0], images.shape[2], images.shape[3]
    scale = torch.tensor(255.0, device=device)
    rows_base = torch.arange(h, device=device)
    cols_base = torch.arange(w, device=device)
    generator = torch.Generator(device=device).manual_seed(1)

    def batch():
        idx = torch.randint(0, n, (args.batch,), device=device, generator=generator)
        dy = torch.randint(0, 9, (args.batch, 1), device=device, generator=generator)
        dx = torch.randint(0, 9, (args.batch, 1), device=device, generator=generator)
        flip = torch.randint(0, 2, (args.batch, 1), device=device, generator=generator).bool()
        rows = dy + rows_base
        cols = dx + torch.where(flip, w - 1 - cols_base, cols_base)
        crops = padded[idx[:, None, None], :, rows[:, :, None], cols[:, None, :]]
        x = (crops.permute(0, 3, 1, 2).float() / scale - 0.2860) / 0.3530
        return x, labels[idx]

    return batch


class HostCrops(torch.utils.data.Dataset):
    def __init__(self, images, labels):
        self.images, self.labels = images, labels
        self.rng = np.random.default_rng(1)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        padded = np.pad(self.images[i, 0], 4)
        dy, dx = self.rng.integers(0, 9, 2)
        crop = padded[dy:dy + 28, dx:dx + 28]
        if self.rng.integers(0, 2):
            crop = crop[:, ::-1]
        x = (crop.astype(np.float32) / 255.0 - 0.2860) / 0.3530
        return torch.from_numpy(np.ascontiguousarray(x))[None], int(self.labels[i])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--input", choices=["device", "dataloader"], default="device")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--bf16", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--deterministic", action="store_true",
                        help="deterministic kernels, no cuDNN autotuning (as riskstep's default)")
    args = parser.parse_args()
    if args.deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
    # Written well: cuDNN picks its fastest convolutions unless results must repeat.
    torch.backends.cudnn.benchmark = not args.deterministic
    torch.backends.cudnn.deterministic = args.deterministic
    device = torch.device(args.device)
    images, labels = load(args.data)
    torch.manual_seed(1)
    model = ResNet().to(device)
    if args.bf16:
        model = model.to(memory_format=torch.channels_last)
    lr = 0.1 * args.batch / 128
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-4)
    if args.input == "device":
        next_batch = device_path(args, images, labels, device)
    else:
        loader = torch.utils.data.DataLoader(HostCrops(images, labels), batch_size=args.batch,
                                             shuffle=True, num_workers=args.workers,
                                             pin_memory=device.type == "cuda", drop_last=True,
                                             persistent_workers=args.workers > 0)
        iterator = iter(loader)

        def next_batch():
            nonlocal iterator
            try:
                x, y = next(iterator)
            except StopIteration:
                iterator = iter(loader)
                x, y = next(iterator)
            return x.to(device, non_blocking=True), y.to(device, non_blocking=True)

    total = torch.zeros((), device=device)
    start = None
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
        x, y = next_batch()
        if args.bf16:
            x = x.contiguous(memory_format=torch.channels_last)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.bf16):
            logits = model(x)
        loss = F.cross_entropy(logits.float(), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if args.input == "dataloader":
            total += loss.item()  # the ordinary loop reads its loss every step
        else:
            total += loss.detach()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f"images_per_second={args.steps * args.batch / seconds:.1f} input={args.input} "
          f"batch={args.batch} steps={args.steps} device={device} bf16={int(args.bf16)} "
          f"deterministic={int(args.deterministic)} "
          f"loss={float(total) / (args.warmup + args.steps):.4f}")


if __name__ == "__main__":
    main()
