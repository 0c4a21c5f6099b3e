#!/bin/bash
# whole mlp 0.98 runs (3+2), alternated: label:method:env...
cd /work/main
out=$1; shift; rounds=$1; shift
for i in $(seq 1 $rounds); do
  for v in "$@"; do
    IFS=: read -r label m envs <<< "$v"
    d=/tmp/s16/wtenv/$label-$m-$i; rm -rf $d
    s=$(date +%s.%N)
    env $envs java -jar /tmp/s16/n/otprune.jar sweep --models sample-models/mlp-300-100-fmnist --methods $m \
      --sparsities 0.98 --seeds 1 --data fashion-mnist --prune-epochs 3 --finetune-epochs 2 --out $d > /dev/null 2>&1
    e=$(date +%s.%N)
    acc=$(python3 -c "import json,glob;print(json.load(open(glob.glob('$d/*/summary.json')[0]))['finalAccuracy'])")
    echo "$label $m run $i: $(echo "$e - $s" | bc) s, final $acc" >> $out
  done
done
