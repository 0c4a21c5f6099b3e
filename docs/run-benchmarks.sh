#!/usr/bin/env bash
# Runs the benchmarks whose figures are in docs/benchmarks.md. Each step writes JSON (or CSV/Markdown) under
# docs/results/. Run on an idle machine: timings are wall-clock. Needs 'mvn -B package' first and, for the
# accuracy tables, the full Fashion-MNIST (sudo apt-get install dataset-fashion-mnist).
set -euo pipefail
cd "$(dirname "$0")/.."
# the serial collector, as the product's launchers use (docs/benchmarks.md §12, session 28)
J="java -XX:+UseSerialGC -jar ${OTPRUNE_JAR:-target/otprune.jar}"
R=docs/results
mkdir -p $R
step="${1:-all}"

if [[ $step == all || $step == train ]]; then
  # one process per model, so each peak RSS is that model's own
  for m in mlp-300-100 lenet5 vgg-small resnet20; do
    $J bench train --model $m --data fashion-mnist-small --steps 60 --warmup 10 --out $R/bench-train-$m.json
  done
fi
if [[ $step == all || $step == ot ]]; then
  $J bench ot --sizes 10000,100000,1000000,10000000 --out $R/bench-ot.json
fi
if [[ $step == all || $step == overhead ]]; then
  $J bench overhead --model lenet5,resnet20 --steps 60 --warmup 10 --out $R/bench-overhead.json
fi
if [[ $step == all || $step == accuracy ]]; then
  # benchmark 3: equal epochs for every method (2 prune + 1 fine-tune), 2 seeds, full Fashion-MNIST
  $J sweep --models sample-models/lenet5-fmnist,sample-models/mlp-300-100-fmnist \
    --methods dtp,gmp,magnitude,random --sparsities 0.5,0.8,0.9,0.92,0.95,0.98 --seeds 1,2 \
    --data fashion-mnist --prune-epochs 2 --finetune-epochs 1 --out $R/sweep-unstructured --force
fi
if [[ $step == all || $step == ablation ]]; then
  # one Sinkhorn iteration per step vs a converged solve per step; auto vs schedule temperature (lenet5, dtp)
  for variant in "one-iteration:--sinkhorn-iterations 1 --temperature auto" \
                 "converged:--sinkhorn-iterations 0 --temperature auto" \
                 "schedule:--sinkhorn-iterations 1 --temperature schedule"; do
    name=${variant%%:*}; opts=${variant#*:}
    $J sweep --models sample-models/lenet5-fmnist --methods dtp --sparsities 0.9 --seeds 1,2 \
      --data fashion-mnist --prune-epochs 2 --finetune-epochs 1 $opts --label $name \
      --out $R/ablation-$name --force
  done
fi
if [[ $step == quality ]]; then
  # issue 17's protocol (not part of "all": about 25 hours on the 2-core machine by the estimates below, to be run in parts):
  # regimes where the methods separate, three seeds, the same epochs for every method, full Fashion-MNIST, one
  # process at a time. --force keeps finished runs, so an interrupted protocol continues where it stopped.
  # QUALITY_PRUNE_EPOCHS / QUALITY_FT_EPOCHS (default 3 + 2, the epochs of the lenet5 goals); run it again with one
  # more prune epoch (and another QUALITY_OUT) to show that the ranking no longer changes. Estimates here: lenet5
  # ~1-2.5 min a run, mlp ~0.2-0.3 min (session 9), vgg-small 7-12 min (session 18, with the
  # convolution guard: docs/benchmarks.md §12), resnet20's channels ~10 min (session 19, an Intel Xeon, subnormals
  # flushed).
  P=${QUALITY_PRUNE_EPOCHS:-3}; F=${QUALITY_FT_EPOCHS:-2}; Q=${QUALITY_OUT:-$R/quality-$P+$F}; S=${QUALITY_SEEDS:-1,2,3}
  E="--seeds $S --data fashion-mnist --prune-epochs $P --finetune-epochs $F --force"
  $J sweep --models sample-models/lenet5-fmnist,sample-models/mlp-300-100-fmnist --methods dtp,gmp,magnitude \
    --sparsities 0.95,0.98,0.99 $E --out $Q/unstructured
  $J sweep --models sample-models/resnet20-fmnist,sample-models/vgg-small-fmnist --methods dtp,gmp,magnitude,cpot \
    --granularity structured --budget params --sparsities 0.7,0.8,0.9 $E --out $Q/channels-params
  $J sweep --models sample-models/resnet20-fmnist,sample-models/vgg-small-fmnist --methods dtp,gmp,magnitude,cpot \
    --granularity structured --budget flops --sparsities 0.5,0.7 $E --out $Q/channels-flops
  $J sweep --models sample-models/resnet20-fmnist --methods dtp,gmp,magnitude --granularity depth --budget count \
    --sparsities 0.34,0.5,0.67 $E --out $Q/blocks
fi
if [[ $step == all || $step == structured ]]; then
  # benchmark of the structured-pruning issue: channels, equal epochs (1 prune + 1 fine-tune), seed 1, full
  # Fashion-MNIST; parameter budgets 0.3/0.5/0.7 and a FLOP budget 0.5. Each run measures CPU latency itself.
  for b in "params:0.3,0.5,0.7" "flops:0.5"; do
    budget=${b%%:*}; sp=${b#*:}
    $J sweep --models sample-models/resnet20-fmnist,sample-models/vgg-small-fmnist \
      --methods dtp,gmp,magnitude,random --sparsities $sp --seeds 1 --granularity structured --budget $budget \
      --data fashion-mnist --prune-epochs 1 --finetune-epochs 1 --label $budget \
      --out $R/sweep-structured-$budget --force
  done
fi
if [[ $step == all || $step == depth ]]; then
  # depth-reduction issue: residual blocks of resnet20 as units (1 prune + 1 fine-tune epoch, seed 1, full
  # Fashion-MNIST); a count budget keeping 75% (7 of 9 blocks), 66% (6 of 9) and 50% (5 of 9) of the blocks, a FLOP
  # budget of 50%, and a latency budget of 50% (block latencies measured at batch 1 at the start of the run).
  for b in "count:0.25,0.34,0.5" "flops:0.5" "latency:0.5"; do
    budget=${b%%:*}; sp=${b#*:}
    $J sweep --models sample-models/resnet20-fmnist --methods dtp,gmp --sparsities $sp --seeds 1 \
      --granularity depth --budget $budget --data fashion-mnist --prune-epochs 1 --finetune-epochs 1 \
      --label depth-$budget --out $R/sweep-depth-$budget --force
  done
fi
if [[ $step == all || $step == cpot ]]; then
  # CPOT (barycenter criterion; with merging) at 50% parameters, same settings as the structured table's dtp/gmp rows
  $J sweep --models sample-models/resnet20-fmnist --methods cpot,cpot-merge --sparsities 0.5 --seeds 1 \
    --granularity structured --budget params --data fashion-mnist --prune-epochs 1 --finetune-epochs 1 \
    --label cpot --out $R/sweep-cpot --force
fi
if [[ $step == all || $step == egp ]]; then
  # entropy-guided pruning of resnet20's weights to 95% in 4 iterations (53%, 78%, 89%, 95%), one epoch after each,
  # then one fine-tune epoch; each iteration's entropies and removable layers are in the run's metrics.jsonl
  $J sweep --models sample-models/resnet20-fmnist,sample-models/mlp-300-100-fmnist --methods egp --sparsities 0.95 \
    --seeds 1 --data fashion-mnist --prune-epochs 4 --finetune-epochs 1 --label egp --out $R/sweep-egp --force
  # the mlp (no BatchNorm) further: 99% in 6 iterations
  $J sweep --models sample-models/mlp-300-100-fmnist --methods egp --sparsities 0.99 --seeds 1 --data fashion-mnist \
    --prune-epochs 6 --finetune-epochs 1 --label egp-0.99 --out $R/sweep-egp-0.99 --force
  python3 docs/egp-iterations.py $R/sweep-egp/*-s1 $R/sweep-egp-0.99/*-s1 > $R/egp-iterations.md
fi
if [[ $step == all || $step == depth-latency ]]; then
  # the depth table's latency column, on the idle machine: dense vs the compact models, in alternation
  m=$R/sweep-depth-count/resnet20-fmnist
  $J bench latency --runs 31 --out $R/bench-latency-depth.json --model sample-models/resnet20-fmnist,$m-dtp-0.25-s1/model,\
$m-dtp-0.34-s1/model,$m-dtp-0.5-s1/model,$m-gmp-0.34-s1/model,$m-gmp-0.5-s1/model,\
$R/sweep-depth-flops/resnet20-fmnist-dtp-0.5-s1/model,$R/sweep-depth-latency/resnet20-fmnist-dtp-0.5-s1/model,\
$R/sweep-cpot/resnet20-fmnist-cpot-0.5-s1/model
fi
if [[ $step == all || $step == onnx ]]; then
  # issue 14, ONNX in and out: import the large torchvision exports (docs/onnx/README.md: make-fixtures.py --large
  # /tmp/onnx-large --zoo /tmp/onnx-zoo) and the zoo, each import checked by ONNX Runtime on the original file; export
  # them back (checked again). With ONNX_DATA set to a data set of the models' 3x32x32 input (e.g. CIFAR-10 from the
  # data branch), resnet18 and mobilenet_v2 are trained, pruned to 50% of their FLOPs as channels, exported, and
  # ONNX Runtime's latency before/after is measured in alternation at batch 1 and 64.
  O=$R/onnx; rm -rf $O; mkdir -p $O/models $O/onnx
  for f in ${ONNX_LARGE:-/tmp/onnx-large}/*.onnx ${ONNX_ZOO:-/tmp/onnx-zoo}/*.onnx; do
    n=$(basename "$(dirname "$f")")-$(basename "$f" .onnx)
    if $J import "$f" --out $O/models/$n > $O/import-$n.log 2>&1; then
      $J export --model $O/models/$n --onnx $O/onnx/$n.onnx > $O/export-$n.log 2>&1 || echo "export failed: $n"
      echo "imported: $n ($(grep -o 'onnxruntime max |diff| = [^ ]*' $O/import-$n.log))"
    else
      echo "refused: $n: $(tail -1 $O/import-$n.log)"
    fi
  done | tee $O/import-summary.txt
  if [[ -n "${ONNX_DATA:-}" ]]; then
    for m in resnet18 mobilenet_v2; do
      $J train --model $O/models/onnx-large-$m --data "$ONNX_DATA" --epochs ${ONNX_EPOCHS:-10} --out $O/train-$m --force
      $J prune --model $O/train-$m/model --data "$ONNX_DATA" --granularity structured --budget flops --sparsity 0.5 \
        --prune-epochs ${ONNX_PRUNE_EPOCHS:-2} --finetune-epochs ${ONNX_FINETUNE_EPOCHS:-2} --out $O/prune-$m --force
      $J export --model $O/train-$m/model --onnx $O/onnx/$m-dense.onnx --force
      $J export --model $O/prune-$m/model --onnx $O/onnx/$m-pruned-flops-0.5.onnx --force
      $J bench onnx --onnx $O/onnx/$m-dense.onnx,$O/onnx/$m-pruned-flops-0.5.onnx --batches 1,64 --runs 31 \
        --out $O/bench-onnx-$m.json
    done
  fi
fi
if [[ $step == train-vs-torch ]]; then
  # issue 14: the workbench's training step on the imported resnet18 (BN kept, fresh weights) against PyTorch's on
  # torchvision's resnet18 (Debian's python3-torch, 2 threads): same input 3x32x32, batch 64, SGD with momentum and
  # weight decay. Separate processes in alternation (who goes first alternates), TRAIN_STEP_ROUNDS rounds, medians
  # of 20 steps each; the table is written beside the JSONs. Needs the large export (make-fixtures.py --large).
  O=$R/train-step-vs-torch; rm -rf $O; mkdir -p $O
  $J import ${ONNX_LARGE:-/tmp/onnx-large}/resnet18_bn.onnx --out $O/resnet18_bn > $O/import.log 2>&1
  wb() { $J bench train --model $O/resnet18_bn --data fashion-mnist-small --batch-size 64 --steps 20 --warmup 3 \
    --out $O/wb-$1.json > $O/wb-$1.log 2>&1; }
  pt() { /usr/bin/python3 docs/onnx/torch-train-step.py --arch resnet18 --threads 2 --batch 64 --steps 20 --warmup 3 \
    > $O/pt-$1.json; }
  for r in $(seq 1 ${TRAIN_STEP_ROUNDS:-9}); do
    if (( r % 2 )); then wb $r; pt $r; else pt $r; wb $r; fi
  done
  rm -rf $O/resnet18_bn
  /usr/bin/python3 docs/onnx/train-step-table.py $O | tee $O/table.md
fi
if [[ $step == all || $step == gui ]]; then
  # the window's own figures (issue: workbench window): launch time, FX pulse time, FX task delay, UI work and threads' CPU during a run, and
  # training throughput with the window and live charts vs the CLI running the very command the window wrote in
  # run.json. Needs Xvfb (apt-get install xvfb libgtk-3-0) and an otherwise idle machine. Full Fashion-MNIST
  # (GUI_DATA), so that epochs last long enough (~25 s) for a steady ratio: on the 10k subset they last 3-4 s and
  # the ratio varied 0.66-0.98 between identical runs (JIT warm-up of the window's code weighs in).
  G=${GUI_OUT:-$R/gui}; rm -rf $G; mkdir -p $G
  xvfb-run -a -s "-screen 0 1600x1000x24" java ${GUI_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -Dotprune.noPrefs=true -Dotprune.autostart=true \
    -Dotprune.data=${GUI_DATA:-fashion-mnist} \
    -Dotprune.runs=$G/window-runs -Dotprune.perf=$G/window-perf.json -Dotprune.perf.exit=true \
    -cp "target/classes:target/lib/*" io.otprune.ui.Workbench > $G/window.log 2>&1
  run=$(ls -d $G/window-runs/*/ | head -1)
  cmd=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['config']['command'])" "$run/run.json")
  cmd=${cmd#otprune }; cmd=${cmd% --out *}
  $J $cmd --out $G/cli-run > $G/cli.log 2>&1
  python3 - "$run/metrics.jsonl" "$G/cli-run/metrics.jsonl" "$G/window-perf.json" > $G/gui-vs-cli.json <<'PY'
import json, sys
def sps(path):
    ev = [json.loads(l) for l in open(path)]
    ep = [e for e in ev if e["type"] == "epoch"]
    return [round(e["samplesPerSecond"], 1) for e in ep]
w, c = sps(sys.argv[1]), sps(sys.argv[2])
perf = json.load(open(sys.argv[3]))
print(json.dumps({"windowSamplesPerSecondPerEpoch": w, "cliSamplesPerSecondPerEpoch": c,
                  "ratioOfMeans": round(sum(w) / len(w) / (sum(c) / len(c)), 3), "window": perf}, indent=2))
PY
  cat $G/gui-vs-cli.json
fi
if [[ $step == data ]]; then
  # benchmark 7: your own data. Full Fashion-MNIST exported as PNG folders (and CIFAR files), trained on against the
  # IDX files; throughput streamed vs in memory, alternating; peak RSS of streamed runs. Needs /tmp space (~300 MB).
  # B7_IDX / B7_PNG: the IDX data set and its PNG export to compare (default the full set; the subset:
  # B7_IDX=fashion-mnist-small B7_PNG=/tmp/fms-png); B7_ACC_EPOCHS=0 skips the 5-epoch accuracy pair;
  # B7_EXPORT=0 keeps the exports already in /tmp.
  D=$R/data; mkdir -p $D
  IDX=${B7_IDX:-fashion-mnist}; PNG=${B7_PNG:-/tmp/fm-png}
  T="/usr/bin/time -f %e-s-%M-KB"
  keep() { mkdir -p $D/$2; cp $1/run.json $1/summary.json $1/metrics.jsonl $D/$2/; }
  rm -rf /tmp/b7-*
  if [[ ${B7_EXPORT:-1} == 1 ]]; then
    rm -rf /tmp/fm-png /tmp/fm-cifar /tmp/fms-png
    $T $J data export --data fashion-mnist --format png --out /tmp/fm-png 2>&1 | tee $D/export-fm-png.txt
    $T $J data export --data fashion-mnist --format cifar --out /tmp/fm-cifar 2>&1 | tee $D/export-fm-cifar.txt
    $T $J data export --data fashion-mnist-small --format png --out /tmp/fms-png 2>&1 | tee $D/export-fms-png.txt
    for d in fashion-mnist /tmp/fm-png /tmp/fm-cifar; do $J data info $d; done 2>&1 | tee $D/data-info.txt
  fi
  # accuracy: the same seed and epochs on the IDX files and on the PNG folders (held in memory)
  # (B7_ACC_SEEDS, default 1 2 3); the order of an epoch is keyed by content, so each pair should match exactly
  if [[ ${B7_ACC_EPOCHS:-5} != 0 ]]; then
    for seed in ${B7_ACC_SEEDS:-1 2 3}; do
      for src in idx:$IDX png:$PNG; do
        $J train --model lenet5 --data ${src#*:} --epochs ${B7_ACC_EPOCHS:-5} --seed $seed \
          --out /tmp/b7-acc-${src%%:*}-$seed > $D/acc-${src%%:*}-seed$seed.txt 2>&1
        keep /tmp/b7-acc-${src%%:*}-$seed acc-${src%%:*}-seed$seed
      done
    done
  fi
  # throughput: IDX in memory vs PNG folders streamed, alternating, 2 runs each, 2 epochs; then with --augment
  for aug in "" "--augment"; do
    for run in 1 2; do
      for src in "idx:--data $IDX --data-loading memory" "png:--data $PNG --data-loading stream"; do
        name=tp-${src%%:*}${aug:+-aug}-$run
        $T $J train --model lenet5 ${src#*:} $aug --epochs 2 --seed 1 --out /tmp/b7-$name > $D/$name.txt 2>&1
        keep /tmp/b7-$name $name
      done
    done
  done
  # peak RSS of a streamed run: 60k vs 10k training images (1 epoch)
  for src in fm-png fms-png; do
    $T $J train --model lenet5 --data /tmp/$src --data-loading stream --epochs 1 --seed 1 --out /tmp/b7-rss-$src \
      > $D/rss-$src.txt 2>&1
    keep /tmp/b7-rss-$src rss-$src
  done
fi
