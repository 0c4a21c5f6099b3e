#!/bin/bash
# session 15: /tmp/s15/a held commit 1adb159's jar (before), /tmp/s15/b commit 3bfa8fa's (the implicit correction in
# place, the predictor by dot products); run alone on the idle 2-core machine.
# Wall time of whole mlp-300-100 runs at 0.98, 3+2 epochs, full Fashion-MNIST, one at a time, alternated twice:
# gmp, dtp (jar a), dtp (jar b). MENV: environment for each run (glibc's malloc settings); TAG names the output.
cd /work/main
out=/tmp/s15/walltime${TAG:+-$TAG}.txt
runs=/tmp/s15/wt${TAG:+-$TAG}
for i in 1 2; do
  for v in gmp:b dtp:a dtp:b; do
    m=${v%%:*}; j=${v##*:}
    rm -rf $runs/$m-$j-$i
    s=$(date +%s.%N)
    env $MENV java -jar /tmp/s15/$j/otprune.jar sweep --models sample-models/mlp-300-100-fmnist --methods $m \
      --sparsities 0.98 --seeds 1 --data fashion-mnist --prune-epochs 3 --finetune-epochs 2 --out $runs/$m-$j-$i \
      > /dev/null 2>&1
    e=$(date +%s.%N)
    acc=$(python3 -c "import json,glob;print(json.load(open(glob.glob('$runs/$m-$j-$i/*/summary.json')[0]))['finalAccuracy'])")
    echo "$m jar-$j run $i: $(echo "$e - $s" | bc) s, final $acc" >> $out
  done
done
