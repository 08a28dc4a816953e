#!/usr/bin/python3
"""Reference for bench/stepnet_vs_ddp: the same ResNet-20 (basic blocks, projection shortcuts,
no attention), the same Fashion-MNIST batches with random crop (pad 4) + flip, SGD with momentum
and weight decay, trained with PyTorch DistributedDataParallel over gloo. Prints one line:
  images_per_second=<global images/s> ranks=<n> steps=<k>

usage: /usr/bin/python3 bench/stepnet_ddp_reference.py --ranks 2 --steps 30 --batch 128 --threads 1
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.branch = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.projection = None
        if stride != 1 or cin != cout:
            self.projection = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        base = x if self.projection is None else self.projection(x)
        return F.relu(base + self.branch(x))


class ResNet(nn.Module):
    def __init__(self, depth=20, in_channels=1, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        layers = [nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
        cin = 16
        for stage, width in enumerate([16, 32, 64]):
            for b in range(n):
                layers.append(Block(cin, width, 2 if stage > 0 and b == 0 else 1))
                cin = width
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(64, classes)

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))


def load_images():
    with gzip.open(f"{DATA}/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(f"{DATA}/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(images.copy()), torch.from_numpy(labels)


def make_batch(images, labels, indices, generator, mean, std):
    x = images[indices].float().div_(255.0)
    padded = F.pad(x, (4, 4, 4, 4))
    offsets = torch.randint(0, 9, (len(indices), 2), generator=generator)
    flips = torch.randint(0, 2, (len(indices),), generator=generator)
    crops = []
    for i in range(len(indices)):
        crop = padded[i, :, offsets[i, 0]:offsets[i, 0] + 28, offsets[i, 1]:offsets[i, 1] + 28]
        crops.append(crop.flip(2) if flips[i] else crop)
    return (torch.stack(crops) - mean) / std, labels[indices]


def worker(rank, args):
    torch.set_num_threads(args.threads)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", str(args.port))
    dist.init_process_group("gloo", rank=rank, world_size=args.ranks)
    images, labels = load_images()
    mean, std = images.float().div(255).mean().item(), images.float().div(255).std().item()
    torch.manual_seed(1)
    model = nn.parallel.DistributedDataParallel(ResNet(args.depth))
    lr = 0.1 * args.batch / 128
    optimiser = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-4)
    local = args.batch // args.ranks
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(0))
    generator = torch.Generator().manual_seed(rank)
    model.train()
    start = None
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            dist.barrier()
            start = time.perf_counter()
        first = step * args.batch + rank * local
        x, y = make_batch(images, labels, order[first:first + local], generator, mean, std)
        optimiser.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimiser.step()
    dist.barrier()
    seconds = time.perf_counter() - start
    if rank == 0:
        print(f"images_per_second={args.steps * local * args.ranks / seconds:.2f} ranks={args.ranks} "
              f"steps={args.steps}", flush=True)
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--depth", type=int, default=20)
    parser.add_argument("--port", type=int, default=29517)
    args = parser.parse_args()
    mp.spawn(worker, args=(args,), nprocs=args.ranks, join=True)


if __name__ == "__main__":
    main()
