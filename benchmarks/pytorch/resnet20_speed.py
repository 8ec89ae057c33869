#!/usr/bin/env python3
"""Training images/s of CIFAR ResNet-20 in PyTorch, the comparison for ResNet20TrainingSpeed.

The same network as org.rpg4j.benchmarks.training.ResNetCifar: 3x3 conv 16 (no bias) + BN + ReLU,
3 stages x 3 basic blocks (16/32/64 channels; 1x1 conv + BN projection where a stage starts with
stride 2), global average pooling, 10-way linear + softmax cross-entropy; SGD with Nesterov
momentum 0.9, lr 0.1, weight decay 5e-4; batch 128 of synthetic N(0, 1) images; float32, NCHW.
The timed region is one training step (forward, backward, optimizer step).

Optional comparison only, never run in CI. Debian: apt-get install python3-torch, then run it
with the system interpreter (/usr/bin/python3) if another python comes first on the PATH.
Usage: python3 benchmarks/pytorch/resnet20_speed.py [--batch 128] [--rounds 3] [--iterations 10] [--threads 2]
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNetCifar(nn.Module):
    def __init__(self, blocks_per_stage=3, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for stage, cout in enumerate((16, 32, 64)):
            for block in range(blocks_per_stage):
                layers.append(BasicBlock(cin, cout, 2 if stage > 0 and block == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*layers)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        out = self.blocks(F.relu(self.bn(self.conv(x))))
        return self.fc(F.adaptive_avg_pool2d(out, 1).flatten(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2,
                        help="intra-op threads (Debian's build starts with 1; ND4J uses one per core)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    model = ResNetCifar()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    x = torch.randn(args.batch, 3, 32, 32)
    y = torch.randint(0, 10, (args.batch,))
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"mkldnn {torch.backends.mkldnn.is_available()}, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters")

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()

    model.train()
    for _ in range(args.warmup):
        step()
    seconds = []
    for r in range(args.rounds):
        start = time.perf_counter()
        for _ in range(args.iterations):
            step()
        s = (time.perf_counter() - start) / args.iterations
        seconds.append(s)
        print(f"round {r} {s:.3f} s/iteration, {args.batch / s:.1f} images/s")
    s = statistics.median(seconds)
    print(f"median {s:.3f} s/iteration, {args.batch / s:.1f} images/s")


if __name__ == "__main__":
    main()
