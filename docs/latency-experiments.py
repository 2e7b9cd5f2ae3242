#!/usr/bin/python3
"""Why half of ResNet-20's channels buy 2× and not 4× on an AVX-512 CPU: the deployment paths
PruneScope does not use, timed on the same two networks (README, "Structured pruning").

ResNet-20 as PruneScope builds it (3×3 stem; three stages of three basic blocks at 28, 14, 7
pixels; 1×1 shortcuts where the shape changes; BatchNorm folded into the convolutions, i.e. convs
with a bias), dense (16, 32, 64 channels) and with half the channels (8, 16, 32), random weights
(latency does not depend on their values). Batch 64, median of REPEATS timed runs after warm-up,
the two networks timed one after the other for each path. Debian's python3-torch (LibTorch 1.13).

    /usr/bin/python3 docs/latency-experiments.py                    # this CPU
    ONEDNN_MAX_CPU_ISA=AVX2 /usr/bin/python3 docs/latency-experiments.py   # oneDNN held to AVX2
"""
import os
import statistics
import sys
import time
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.mobile_optimizer import optimize_for_mobile

REPEATS = int(os.environ.get("REPEATS", "30"))
THREADS = int(os.environ.get("THREADS", str(os.cpu_count())))


class Block(nn.Module):
    def __init__(self, inputs: int, width: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, width, 3, stride, 1)
        self.conv2 = nn.Conv2d(width, width, 3, 1, 1)
        self.shortcut = nn.Conv2d(inputs, width, 1, stride, 0) if stride != 1 or inputs != width else nn.Identity()

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))) + self.shortcut(x))


class ResNet20(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.stem = nn.Conv2d(1, widths[0], 3, 1, 1)
        blocks, inputs = [], widths[0]
        for stage, width in enumerate(widths):
            for b in range(3):
                blocks.append(Block(inputs, width, 2 if stage > 0 and b == 0 else 1))
                inputs = width
        self.stage1 = nn.Sequential(*blocks[:3])
        self.rest = nn.Sequential(*blocks[3:])
        self.fc = nn.Linear(inputs, 10)

    def forward(self, x):
        return self.tail(self.head(x))

    @torch.jit.export
    def head(self, x):
        return self.stage1(F.relu(self.stem(x)))

    @torch.jit.export
    def tail(self, x):
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.rest(x), [1, 1]), 1))


class Head(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.head(x)


class Tail(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.tail(x)


class HalfBatchPerCore(nn.Module):
    """Each half of the batch on its own inter-op thread, one intra-op thread each."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        futures: List[torch.jit.Future[torch.Tensor]] = []
        for part in torch.chunk(x, 2, 0):
            futures.append(torch.jit.fork(self.net, part))
        return torch.cat([torch.jit.wait(f) for f in futures], 0)


def frozen(module):
    return torch.jit.freeze(torch.jit.script(module.eval()))


def median_ms(run):
    with torch.no_grad():
        for _ in range(max(10, REPEATS // 3)):
            run()
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def paths(net, x):
    """(name, function) for every path, each a fresh module."""
    channels_last = x.contiguous(memory_format=torch.channels_last)
    whole = frozen(net)
    ofi = torch.jit.optimize_for_inference(frozen(net))
    head, tail = frozen(Head(net)), frozen(Tail(net))
    head_ofi, tail_ofi = (torch.jit.optimize_for_inference(frozen(m)) for m in (Head(net), Tail(net)))
    with torch.no_grad():
        middle = head(channels_last)
        middle_plain = middle.contiguous()
    yield "frozen", lambda: whole(x)
    yield "frozen, channels-last", lambda: whole(channels_last)
    yield "optimize_for_inference", lambda: ofi(x)
    yield "first stage only, channels-last", lambda: head(channels_last)
    yield "first stage only, optimize_for_inference", lambda: head_ofi(x)
    yield "rest only, channels-last", lambda: tail(middle)
    yield "rest only, optimize_for_inference", lambda: tail_ofi(middle_plain)
    yield "split: channels-last first stage + optimize_for_inference rest", lambda: tail_ofi(head(channels_last).contiguous())
    with torch.backends.mkldnn.flags(enabled=False):
        no_onednn = frozen(net)
    def without_onednn():
        with torch.backends.mkldnn.flags(enabled=False):
            return no_onednn(x)
    yield "frozen, oneDNN off (ATen's own convolution)", without_onednn
    mobile = optimize_for_mobile(torch.jit.script(net.eval()))
    yield "optimize_for_mobile (XNNPACK)", lambda: mobile(x)
    sharded = frozen(HalfBatchPerCore(net))
    def half_batch_per_core():
        torch.set_num_threads(1)
        try:
            return sharded(x)
        finally:
            torch.set_num_threads(THREADS)
    yield "half of the batch per core, one thread each", half_batch_per_core


def main():
    torch.set_num_threads(THREADS)
    torch.set_num_interop_threads(2)
    torch.manual_seed(1)
    x = torch.rand(64, 1, 28, 28)
    dense, thin = ResNet20((16, 32, 64)).eval(), ResNet20((8, 16, 32)).eval()
    print(f"# docs/latency-experiments.py: ResNet-20 dense (16-32-64) and half (8-16-32), batch 64, "
          f"median of {REPEATS}, {THREADS} threads, ONEDNN_MAX_CPU_ISA={os.environ.get('ONEDNN_MAX_CPU_ISA', '(all)')}")
    print(f"{'path':66} {'dense ms':>9} {'half ms':>9} {'ratio':>7}")
    with torch.no_grad():
        expected = {id(dense): dense(x), id(thin): thin(x)}
    for (name, run_dense), (_, run_thin) in zip(paths(dense, x), paths(thin, x)):
        if "only" not in name:  # the whole network: the same function on every path
            with torch.no_grad():
                for net, run in ((dense, run_dense), (thin, run_thin)):
                    difference = (run() - expected[id(net)]).abs().max().item()
                    assert difference < 1e-3, f"{name}: outputs differ by {difference}"
        d, t = median_ms(run_dense), median_ms(run_thin)
        print(f"{name:66} {d:9.2f} {t:9.2f} {d / t:6.2f}×", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
