#!/usr/bin/env python3
"""Per-iteration table of egp runs: sparsity reached, test accuracy after the iteration's epoch, mean entropy over
the ReLUs, constant channels, and the layers that became removable. Usage: egp-iterations.py RUN_DIR... > table.md"""
import json
import sys

print("| run | iteration | sparsity | test acc after its epoch | mean entropy (bits) | constant channels | removable ReLUs |")
print("|---|---:|---:|---:|---:|---:|---|")
for run in sys.argv[1:]:
    events = [json.loads(line) for line in open(run + "/metrics.jsonl")]
    entropies = [e for e in events if e["type"] == "entropy"]
    epochs = [e for e in events if e["type"] == "epoch" and e["phase"] == "prune"]
    final = [e for e in events if e["type"] == "epoch" and e["phase"] == "finetune"]
    summary = json.load(open(run + "/summary.json"))
    for e in entropies:
        it = e["iteration"]
        if it <= e["iterations"]:
            acc = epochs[it - 1]["testAccuracy"] if it - 1 < len(epochs) else float("nan")
            label = str(it)
        else:
            acc = final[-1]["testAccuracy"] if final else summary["finalAccuracy"]
            label = "final (after fine-tune)"
        h = sum(e["entropy"]) / len(e["entropy"])
        const = sum(e["alwaysOn"]) + sum(e["alwaysOff"])
        chans = sum(e["channels"])
        print(f"| {run.rstrip('/').split('/')[-1]} | {label} | {e['sparsity']:.4f} | {100 * acc:.2f} | {h:.3f} | "
              f"{const} of {chans} | {', '.join(e['removable']) or 'none'} |")
