#!/bin/bash
# GMP and DTP alternated with one jar, mlp-300-100 at 0.98, 3 + 2 epochs, seed 1, serial collector:
#   rotation.sh ROUNDS OUT JARDIR [RUNS]   (run folders and logs go to RUNS, default /tmp/otprune-rotation)
# OUT gets one line a run: round, method, seconds, final accuracy; OUT-epochs.txt each run's epoch lines.
N=$1; OUT=$2; J=$3; RUNS=${4:-/tmp/otprune-rotation}; ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
mkdir -p "$RUNS"; : > "$OUT"; : > "$OUT-epochs.txt"
V=(gmp dtp)
for i in $(seq 1 "$N"); do
  for k in 0 1; do
    m=${V[$(( (k + i) % 2 ))]}
    S=$(date +%s.%N)
    java -XX:+UseSerialGC -jar "$J/otprune.jar" prune --model "$ROOT/sample-models/mlp-300-100-fmnist" \
        --data fashion-mnist --method $m --sparsity 0.98 --prune-epochs 3 --finetune-epochs 2 --seed 1 --force \
        --out "$RUNS/run-$m" > "$RUNS/$m-$i.log" 2>&1
    E=$(date +%s.%N)
    echo "$i $m $(echo "$E - $S" | bc) $(grep -o 'final accuracy [0-9.]*%' "$RUNS/$m-$i.log")" >> "$OUT"
    { echo "== round $i $m"; grep -E '^\[(prune|finetune)\] +(epoch|split)' "$RUNS/$m-$i.log"; } >> "$OUT-epochs.txt"
  done
done
