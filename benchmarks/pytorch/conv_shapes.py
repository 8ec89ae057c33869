"""Per-shape convolution timing in PyTorch, served to a JVM that interleaves its own candidates.

Started with the shapes as arguments (batch,in,height,width,out,kernel,stride[,padding] each), it
builds the tensors, prints "ready", then answers "run INDEX REPS" with
"ms FORWARD BACKWARD" (mean milliseconds per call of F.conv2d and of its backward, input and weight
gradients, no bias) and "quit" by exiting. Blocked on its standard input it uses no CPU.
"""
import argparse
import sys
import time

import torch
import torch.nn.functional as F


def parse_shape(text):
    parts = [int(p) for p in text.split(",")]
    n, c, h, w, k, kernel, stride = parts[:7]
    padding = parts[7] if len(parts) > 7 else (kernel - 1) // 2
    return n, c, h, w, k, kernel, stride, padding


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("shapes", nargs="+")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    cases = []
    for text in args.shapes:
        n, c, h, w, k, kernel, stride, padding = parse_shape(text)
        x = torch.randn(n, c, h, w, requires_grad=True)
        weight = torch.randn(k, c, kernel, kernel, requires_grad=True)
        out = F.conv2d(x, weight, None, stride, padding)
        delta = torch.randn(out.shape)
        cases.append((x, weight, stride, padding, delta))
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        x, weight, stride, padding, delta = cases[int(words[1])]
        reps = int(words[2])
        forward, backward = 0.0, 0.0
        for _ in range(reps):
            x.grad, weight.grad = None, None
            start = time.perf_counter()
            out = F.conv2d(x, weight, None, stride, padding)
            middle = time.perf_counter()
            out.backward(delta)
            end = time.perf_counter()
            forward += middle - start
            backward += end - middle
        print(f"ms {1000 * forward / reps:.4f} {1000 * backward / reps:.4f}", flush=True)


if __name__ == "__main__":
    main()
