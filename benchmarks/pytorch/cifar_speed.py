#!/usr/bin/env python3
"""Training speed of the CIFAR networks of org.rpg4j.benchmarks.overhead.CifarModels in PyTorch.

The same shapes as the Java models (NCHW float32, batch 128 of synthetic N(0, 1) images, 10 classes;
every convolution without bias and followed by batch norm; SGD with Nesterov momentum 0.9, lr 0.1,
weight decay 5e-4; softmax cross-entropy):
  resnet20    3x3 conv 16 + BN + ReLU, 3 stages x 3 basic blocks (16/32/64 channels; a 1x1 conv + BN
              projection where a stage starts with stride 2), global average pooling, linear 64 -> 10
  resnet32x2  the same with 5 blocks per stage and widths 32/64/128 (stem 32), linear 128 -> 10
  vgg19       16 x (3x3 conv + BN + ReLU) with 64, 64, M, 128, 128, M, 256 x 4, M, 512 x 4, M, 512 x 4, M
              (M = 2x2 max pooling, stride 2), then linear 512 -> 10
The timed region is one training step: zero_grad, forward, loss, backward, optimizer step.

Modes:
  (default)   rounds of --iterations steps after --warmup steps, images/s per round and the median
  --serve     for an interleaved comparison driven by another process: warms up, prints "ready",
              then reads commands from stdin: "run N" times N steps and prints "seconds S";
              "quit" exits
  --profile N per-op profile (torch.autograd.profiler) of N steps after the warm-up: prints
              "kind<TAB>forward ms<TAB>backward ms" per op kind (mean per step), then
              "optimizer<TAB>ms<TAB>0" (optimizer.step, timed outside the profiler) and
              "step<TAB>ms<TAB>0" (an unprofiled step, for comparison)

Optional comparison only, never run in CI. Debian: apt-get install python3-torch, then run it with
the system interpreter (/usr/bin/python3) if another python comes first on the PATH.
Usage: python3 benchmarks/pytorch/cifar_speed.py --model resnet20|resnet32x2|vgg19 [--batch 128]
       [--threads 2] [--warmup 3] [--rounds 3] [--iterations 10] [--serve | --profile N]
"""
import argparse
import statistics
import sys
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
    """CIFAR ResNet with blocks_per_stage blocks per stage and widths base, 2 base, 4 base."""

    def __init__(self, blocks_per_stage=3, base_width=16, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, base_width, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(base_width)
        layers, cin = [], base_width
        for stage in range(3):
            cout = base_width << stage
            for block in range(blocks_per_stage):
                layers.append(BasicBlock(cin, cout, 2 if stage > 0 and block == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        out = self.blocks(F.relu(self.bn(self.conv(x))))
        return self.fc(F.adaptive_avg_pool2d(out, 1).flatten(1))


class Vgg19(nn.Module):
    STAGES = ((64, 64), (128, 128), (256, 256, 256, 256), (512, 512, 512, 512), (512, 512, 512, 512))

    def __init__(self, classes=10):
        super().__init__()
        layers, cin = [], 3
        for stage in self.STAGES:
            for cout in stage:
                layers += [nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
                cin = cout
            layers.append(nn.MaxPool2d(2, 2))
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


MODELS = {
    "resnet20": lambda: ResNetCifar(3, 16),
    "resnet32x2": lambda: ResNetCifar(5, 32),
    "vgg19": Vgg19,
}

# aten op name (lower case) fragments -> kind, first match wins; autograd nodes ("...Backward0") and
# their aten ops are backward, everything else forward
KINDS = (
    ("convolution", "conv"), ("conv2d", "conv"),
    ("batch_norm", "batchnorm"), ("batchnorm", "batchnorm"),
    ("relu", "relu"), ("threshold", "relu"), ("clamp", "relu"),
    ("pool", "pool"), ("mean", "pool"),
    ("addmm", "output"), ("linear", "output"), ("mm", "output"), ("softmax", "output"),
    ("nll_loss", "output"), ("cross_entropy", "output"),
    ("add", "add"),
)
# the transpose of the linear layer's weight, exact names
OUTPUT_NAMES = ("aten::t", "tbackward0")


def kind_of(event):
    """The kind of the event or, for a helper op (empty, copy_, ...), of its nearest ancestor that has one."""
    while event is not None:
        kind = kind_of_name(event.name)
        if kind != "other":
            return kind
        event = event.cpu_parent
    return "other"


def kind_of_name(name):
    lower = name.lower()
    if lower in OUTPUT_NAMES:
        return "output"
    for fragment, kind in KINDS:
        if fragment in lower.replace("aten::", ""):
            return kind
    return "other"


def is_backward(event):
    while event is not None:
        if "backward" in event.name.lower():
            return True
        event = event.cpu_parent
    return False


def build(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    model = MODELS[args.model]()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    x = torch.randn(args.batch, 3, 32, 32)
    y = torch.randint(0, 10, (args.batch,))
    model.train()

    def forward_backward():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()

    def step():
        forward_backward()
        optimizer.step()

    return model, optimizer, forward_backward, step


def profile(args, optimizer, forward_backward, step):
    from torch.autograd import profiler
    optimizer_seconds, step_seconds = 0.0, 0.0
    with profiler.profile() as prof:
        for _ in range(args.profile):
            forward_backward()
            start = time.perf_counter()
            optimizer.step()
            optimizer_seconds += time.perf_counter() - start
    for _ in range(args.profile):
        start = time.perf_counter()
        step()
        step_seconds += time.perf_counter() - start
    totals = {}
    for event in prof.function_events:
        if _under_optimizer(event):
            continue
        kind = kind_of(event)
        key = (kind, is_backward(event))
        totals[key] = totals.get(key, 0.0) + event.self_cpu_time_total / 1000.0
    kinds = sorted({k for k, _ in totals})
    for kind in kinds:
        print(f"{kind}\t{totals.get((kind, False), 0.0) / args.profile:.3f}"
              f"\t{totals.get((kind, True), 0.0) / args.profile:.3f}")
    print(f"optimizer\t{1000 * optimizer_seconds / args.profile:.3f}\t0")
    print(f"step\t{1000 * step_seconds / args.profile:.3f}\t0")


def _under_optimizer(event):
    while event is not None:
        if event.name.lower().startswith("optimizer."):
            return True
        event = event.cpu_parent
    return False


def prunable_weights(model):
    return sum(m.weight.numel() for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)))


def serve(step):
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            return
        if words[0] != "run" or len(words) != 2 or not words[1].isdigit() or int(words[1]) < 1:
            print(f"error: expected 'run N' (N >= 1) or 'quit', got {line.strip()!r}", flush=True)
            continue
        start = time.perf_counter()
        for _ in range(int(words[1])):
            step()
        print(f"seconds {time.perf_counter() - start:.6f}", flush=True)


def rounds(args, model, step):
    print(f"PyTorch {torch.__version__}, {args.model}, {torch.get_num_threads()} threads, "
          f"mkldnn {torch.backends.mkldnn.is_available()}, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters, "
          f"{prunable_weights(model):,} convolution and linear weights "
          "(org.rpg4j.benchmarks.models.ModelShapes.weightCount() of the Java model)")
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


def main(argv=None, default_model=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(MODELS), default=default_model, required=default_model is None)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2,
                        help="intra-op threads (Debian's build starts with 1; ND4J uses one per core)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--serve", action="store_true")
    mode.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    for name in ("batch", "rounds", "iterations", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1, got {getattr(args, name)}")
    if args.warmup < 0:
        parser.error(f"--warmup must be >= 0, got {args.warmup}")

    model, optimizer, forward_backward, step = build(args)
    for _ in range(args.warmup):
        step()
    if args.serve:
        serve(step)
    elif args.profile > 0:
        profile(args, optimizer, forward_backward, step)
    else:
        rounds(args, model, step)


if __name__ == "__main__":
    main()
