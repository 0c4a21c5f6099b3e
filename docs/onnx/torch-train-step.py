#!/usr/bin/python3
"""PyTorch's time per training step for a torchvision classifier, to set beside `otprune bench train`.

The same network the workbench imports (torchvision ARCH, num_classes=10, input 3x32x32), the same batch size and
the same step: forward, cross-entropy, backward, SGD with momentum 0.9 and weight decay 5e-4 (what `bench train`
runs). Inputs are one random batch made once, so this measures the network's step alone; the workbench's figure also
includes handing each batch over from its loader thread. Prints one JSON line.

    /usr/bin/python3 docs/onnx/torch-train-step.py --arch resnet18 --threads 2 --batch 128 --steps 30 --warmup 5
"""
import argparse
import json
import statistics
import time

import torch
import torchvision


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="resnet18")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--size", type=int, default=32)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = getattr(torchvision.models, a.arch)(num_classes=10)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randn(a.batch, 3, a.size, a.size)
    y = torch.randint(0, 10, (a.batch,))
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    print(json.dumps({"framework": "pytorch", "torch": torch.__version__, "arch": a.arch, "threads": a.threads,
                      "batchSize": a.batch, "steps": a.steps, "medianMsPerStep": round(med, 2),
                      "trainSamplesPerSecond": round(a.batch * 1000 / med, 1)}))


if __name__ == "__main__":
    main()
