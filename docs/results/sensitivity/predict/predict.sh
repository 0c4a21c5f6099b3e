#!/bin/bash
# Does the scan predict? DTP with floors fitted to the budget vs none (issue 18).
set -u
cd /tmp/exp2
J="java -Xmx2g -jar /tmp/exp2/otprune.jar"
R=/work/main/docs/results/sensitivity
rm -rf lenet5 resnet20; cp -r /work/main/sample-models/lenet5-fmnist lenet5; cp -r /work/main/sample-models/resnet20-fmnist resnet20
/usr/bin/time -v $J sensitivity --model lenet5 --data fashion-mnist-small --sparsities 0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.95,0.98,0.99 --out out/lenet5-scan-099 > out/lenet5-scan-099.log 2>&1
for seed in 1 2 3; do
  for f in none fit; do
    extra=""; [ $f = fit ] && extra="--floors out/lenet5-scan-099.json --floors-fit"
    $J prune --model lenet5 --data fashion-mnist-small --method dtp --sparsity 0.95 --seed $seed $extra --out out/l-$f-$seed > out/lenet5-dtp-0.95-$f-s$seed.log 2>&1
    cp out/l-$f-$seed/summary.json out/lenet5-dtp-0.95-$f-s$seed.summary.json 2>/dev/null
  done
done
for seed in 1 2; do
  for f in none fit; do
    extra=""; [ $f = fit ] && extra="--floors $R/resnet20-structured.json --floors-fit"
    $J prune --model resnet20 --data fashion-mnist-small --method dtp --granularity structured --budget params --sparsity 0.7 --seed $seed $extra --out out/r-$f-$seed > out/resnet20-dtp-params-0.7-$f-s$seed.log 2>&1
    cp out/r-$f-$seed/summary.json out/resnet20-dtp-params-0.7-$f-s$seed.summary.json 2>/dev/null
  done
done
echo done > out/DONE
