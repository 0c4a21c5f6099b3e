#!/usr/bin/python3
"""The table of alternated training-step rounds: the workbench (`otprune bench train` JSON, wb-N.json) against
PyTorch (`docs/onnx/torch-train-step.py` JSON line, pt-N.json) in DIR, one column per round, then the ratios.

    /usr/bin/python3 docs/onnx/train-step-table.py docs/results/train-step-vs-torch
"""
import json
import pathlib
import statistics
import sys


def step_ms(path):
    text = path.read_text().strip()
    if path.name.startswith("pt-"):
        return json.loads(text.splitlines()[-1])["medianMsPerStep"]
    return json.loads(text)["results"][0]["medianMsPerStep"]


def main():
    d = pathlib.Path(sys.argv[1])
    rounds = sorted(int(p.stem[3:]) for p in d.glob("wb-*.json") if (d / f"pt-{p.stem[3:]}.json").exists())
    wb = [step_ms(d / f"wb-{r}.json") for r in rounds]
    pt = [step_ms(d / f"pt-{r}.json") for r in rounds]
    ratio = [a / b for a, b in zip(wb, pt)]
    print("| round | " + " | ".join(str(r) for r in rounds) + " | mean |")
    print("|---|" + "---:|" * (len(rounds) + 1))
    print("| workbench ms | " + " | ".join(f"{v:.0f}" for v in wb) + f" | {statistics.mean(wb):.0f} |")
    print("| PyTorch ms | " + " | ".join(f"{v:.0f}" for v in pt) + f" | {statistics.mean(pt):.0f} |")
    print("| ratio | " + " | ".join(f"{v:.2f}" for v in ratio) + f" | **{statistics.mean(wb) / statistics.mean(pt):.2f}** |")
    print(f"\nratio of the means {statistics.mean(wb) / statistics.mean(pt):.2f}, median of the ratios "
          f"{statistics.median(ratio):.2f}, range {min(ratio):.2f}-{max(ratio):.2f} ({len(rounds)} rounds)")


if __name__ == "__main__":
    main()
