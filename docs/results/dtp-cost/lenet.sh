#!/bin/bash
# after full.sh: lenet5 DTP unstructured at 0.95 and 0.98, 3 prune + 2 fine-tune epochs, seeds 1-3, full Fashion-MNIST
cd /tmp/b17
while pgrep -f full.sh > /dev/null; do sleep 5; done
rm -rf lenet-sweep
/usr/bin/time -f "sweep wall %e s" java -cp "/work/main/target/classes:/work/main/target/lib/*" io.otprune.cli.Main sweep \
  --models /work/main/sample-models/lenet5-fmnist --methods dtp --sparsities 0.95,0.98 --seeds 1,2,3 \
  --data fashion-mnist --prune-epochs 3 --finetune-epochs 2 --out /tmp/b17/lenet-sweep > lenet.log 2>&1
tail -2 lenet.log
