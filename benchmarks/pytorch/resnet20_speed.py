#!/usr/bin/env python3
"""Training images/s of CIFAR ResNet-20 in PyTorch: cifar_speed.py with --model resnet20.

Kept for the commands in older notes; see cifar_speed.py for the network, the options and the modes.
Usage: python3 benchmarks/pytorch/resnet20_speed.py [--batch 128] [--rounds 3] [--iterations 10] [--threads 2]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cifar_speed  # noqa: E402

if __name__ == "__main__":
    cifar_speed.main(default_model="resnet20")
