#!/bin/bash
# wall time of whole mlp-300-100 runs at 0.98, 3+2 epochs, full Fashion-MNIST, one at a time: gmp, dtp (jar a: before), dtp (jar b: fewer passes)
cd /work/main
MENV="MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824"
out=/tmp/s15/walltime-trim.txt
for i in 1 2; do
  for v in gmp:b dtp:a dtp:b; do
    m=${v%%:*}; j=${v##*:}
    rm -rf /tmp/s15/wtt/$m-$j-$i
    s=$(date +%s.%N)
    env $MENV java -jar /tmp/s15/$j/otprune.jar sweep --models sample-models/mlp-300-100-fmnist --methods $m --sparsities 0.98 --seeds 1 \
      --data fashion-mnist --prune-epochs 3 --finetune-epochs 2 --out /tmp/s15/wtt/$m-$j-$i > /dev/null 2>&1
    e=$(date +%s.%N)
    acc=$(python3 -c "import json,glob;print(json.load(open(glob.glob('/tmp/s15/wtt/$m-$j-$i/*/summary.json')[0]))['finalAccuracy'])")
    echo "$m jar-$j run $i: $(echo "$e - $s" | bc) s, final $acc" >> $out
  done
done
