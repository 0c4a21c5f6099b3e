#!/bin/bash
# Issue 15: the same seed on the IDX files and on their PNG export (content-keyed order), fresh lenet5 each time.
set -u
mkdir -p /tmp/exp2/clean/order && cd /tmp/exp2/clean   # no folder named lenet5 here: --model lenet5 is a fresh network
[ -e lenet5 ] && exit 1
J="java -jar /tmp/exp2/otprune.jar"
for seed in 1 2 3; do
  for src in idx:fashion-mnist png:/tmp/fm-png; do
    n=${src%%:*}
    $J train --model lenet5 --data ${src#*:} --epochs 5 --seed $seed --out order/$n-$seed > order/acc-$n-seed$seed.txt 2>&1
  done
done
for src in "idx:--data fashion-mnist" "png:--data /tmp/fm-png --data-loading stream"; do
  n=${src%%:*}
  $J train --model lenet5 ${src#*:} --augment --epochs 2 --seed 1 --out order/$n-aug > order/aug-$n.txt 2>&1
done
echo done > order/DONE
