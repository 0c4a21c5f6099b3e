#!/bin/bash
# session 16: wall time of whole mlp-300-100 runs at 0.98, 3+2 epochs, full Fashion-MNIST, seed 1, one at a time on
# the idle machine, alternated ROUNDS times. Each argument is LABEL:METHOD[:ENV=VALUE ...], e.g.
#   ROUNDS=3 walltime.sh default:gmp default:dtp two-threads:gmp:OMP_NUM_THREADS=2 two-threads:dtp:OMP_NUM_THREADS=2
# (01 was taken with an earlier form of this script, 02 with the same loop under another name.)
# JAR: the jar to time (its lib/ beside it); OUT: the file the lines go to; RUNS: where the run folders go.
cd "$(dirname "$0")/../../../.."
JAR=${JAR:-target/otprune.jar}
out=${OUT:-/tmp/walltime.txt}
runs=${RUNS:-/tmp/walltime-runs}
for i in $(seq 1 ${ROUNDS:-2}); do
  for v in "$@"; do
    IFS=: read -r label m envs <<< "$v"
    d=$runs/$label-$m-$i; rm -rf $d
    s=$(date +%s.%N)
    env $envs java -jar $JAR sweep --models sample-models/mlp-300-100-fmnist --methods $m \
      --sparsities 0.98 --seeds 1 --data fashion-mnist --prune-epochs 3 --finetune-epochs 2 --out $d > /dev/null 2>&1
    e=$(date +%s.%N)
    acc=$(python3 -c "import json,glob;print(json.load(open(glob.glob('$d/*/summary.json')[0]))['finalAccuracy'])")
    echo "$label $m run $i: $(echo "$e - $s" | bc) s, final $acc" >> $out
  done
done
