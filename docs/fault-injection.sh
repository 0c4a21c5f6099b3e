#!/usr/bin/env bash
# Fault injection: kill -9 an `otprune prune` at N random moments (training, hardening, compaction, writing), then
# check that every run folder parses, is finished or interrupted, resumes to a complete run whose final weights and
# accuracy equal an uninterrupted run's with the same seed, and that the input model is unchanged.
# Needs: mvn -B -q package -DskipTests (target/otprune.jar), python3 (JSON checks). Run it alone (PITFALLS 15).
#   bash docs/fault-injection.sh [N]      (N=20 by default; results in docs/results/fault-injection.csv)
set -u
cd "$(dirname "$0")/.."
N=${1:-20}
WORK=${WORK:-$(mktemp -d /tmp/otprune-fault.XXXX)}; mkdir -p "$WORK"
CSV=${CSV:-docs/results/fault-injection.csv}
MODEL=${MODEL:-sample-models/mlp-300-100-fmnist}
OTP="java -cp target/otprune.jar:target/lib/* io.otprune.cli.Main"
# short epochs: TRAIN_IMAGES (1,500 by default; up to 10,000) training and 300 test images of the embedded
# Fashion-MNIST subset, as an IDX folder. On an idle machine the default run lasts a few seconds, most of it the JVM's
# start; 10,000 images spread the kills over training, hardening, compaction and writing.
DATA=${DATA:-$WORK/data}
python3 - "$DATA" "${TRAIN_IMAGES:-1500}" <<'PY'
import gzip, os, struct, sys
src, dst = 'assets/datasets/fashion-mnist-small', sys.argv[1]
os.makedirs(dst, exist_ok=True)
for split, n in (('train', int(sys.argv[2])), ('t10k', 300)):
    img = gzip.open(f'{src}/{split}-images-idx3-ubyte.gz').read()
    lab = gzip.open(f'{src}/{split}-labels-idx1-ubyte.gz').read()
    open(f'{dst}/{split}-images-idx3-ubyte', 'wb').write(struct.pack('>IIII', 0x803, n, 28, 28) + img[16:16 + n * 784])
    open(f'{dst}/{split}-labels-idx1-ubyte', 'wb').write(struct.pack('>II', 0x801, n) + lab[8:8 + n])
PY
ARGS=(--model "$MODEL" --data "$DATA" --method dtp --granularity structured --budget params
      --sparsity 0.5 --prune-epochs 2 --finetune-epochs 1 --seed 7 --device cpu)
digest() { find "$MODEL" -type f | sort | xargs sha256sum | sha256sum | cut -c1-16; }
# every JSON file and every metrics line parses; prints the number of files that do not
parses() { python3 - "$1" <<'PY'
import json, os, sys
bad = 0
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        p = os.path.join(root, f)
        try:
            if f.endswith('.json'):
                json.load(open(p))
            elif f.endswith('.jsonl'):
                for line in open(p):
                    json.loads(line)
        except Exception as e:
            bad += 1
            print('unparsable:', p, e, file=sys.stderr)
print(bad)
PY
}
summary_of() { python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print('%.6f %.6f' % (s['finalAccuracy'], s['achievedSparsity']))" "$1/summary.json"; }

before=$(digest)
t0=$(date +%s.%N)
$OTP prune "${ARGS[@]}" --out "$WORK/ref" > "$WORK/ref.log" 2>&1 || { echo "reference run failed"; cat "$WORK/ref.log"; exit 1; }
t1=$(date +%s.%N)
T=$(python3 -c "print($t1 - $t0)")
ref_params=$(sha256sum "$WORK/ref/model/model.params" | cut -c1-64)
ref_summary=$(summary_of "$WORK/ref")
echo "reference run: ${T}s, final accuracy / sparsity: $ref_summary"
echo "trial,kill_at_s,last_event,checkpoint,state_after_kill,unparsable_after_kill,resume_exit,unparsable_after_resume,state_after_resume,params_equal,summary_equal" > "$CSV"
# one trial: $1 the trial's name, $2 a moment in seconds or "aim:TEXT" (kill as soon as a metrics.jsonl line contains
# TEXT: the short phases a uniform moment rarely hits)
trial() {
    local i=$1 out="$WORK/run-$1" at=$2 t0 pid
    $OTP prune "${ARGS[@]}" --out "$out" > "$out.log" 2>&1 &
    pid=$!
    if [[ $at == aim:* ]]; then
        t0=$(date +%s.%N)
        until grep -qs "${at#aim:}" "$out/metrics.jsonl" || ! kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
        at="$at@$(python3 -c "print(round($(date +%s.%N) - $t0, 2))")"
    else
        sleep "$at"
    fi
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    last=$(python3 -c "
import json,sys
last='none'
try:
    for l in open('$out/metrics.jsonl'):
        o=json.loads(l); last=o['type']+(':'+o.get('phase','') if o['type'] in ('phase','step','epoch') else '')
except Exception: pass
print(last)")
    ckpt=$([ -e "$out/checkpoint" ] || [ -e "$out/.checkpoint.new" ] || [ -e "$out/.checkpoint.old" ] && echo yes || echo no)
    if [ -d "$out" ]; then state=$($OTP runs "$out" 2>&1 | head -1 | awk '{print $1}'); else state=no-folder; fi
    bad1=$(parses "$out")
    if [ "$state" = finished ] || [ "$state" = no-folder ]; then
        rc=0
    else
        $OTP resume "$out" > "$out.resume.log" 2>&1
        rc=$?
    fi
    bad2=$(parses "$out")
    if [ -d "$out" ]; then state2=$($OTP runs "$out" 2>&1 | head -1 | awk '{print $1}'); else state2=no-folder; fi
    peq=$([ -f "$out/model/model.params" ] && [ "$(sha256sum "$out/model/model.params" | cut -c1-64)" = "$ref_params" ] && echo yes || echo no)
    seq_=$([ -f "$out/summary.json" ] && [ "$(summary_of "$out")" = "$ref_summary" ] && echo yes || echo no)
    echo "$i,$at,$last,$ckpt,$state,$bad1,$rc,$bad2,$state2,$peq,$seq_" | tee -a "$CSV"
}
for i in $(seq 1 "$N"); do
    trial "$i" "$(python3 -c "import random; random.seed($i); print(round(random.uniform(0.5, $T), 2))")"
done
# AIMED=1 adds kills aimed at hardening, compaction and the end of the run (the texts of their metrics events)
if [[ ${AIMED:-0} == 1 ]]; then
    k=0
    for aim in '"type":"hardened"' 'compact model' 'latency batch' '"phase":"done"'; do
        trial "aim$((++k))" "aim:$aim"
    done
fi
after=$(digest)
echo "input model digest before $before after $after: $([ "$before" = "$after" ] && echo unchanged || echo CHANGED)" | tee "$CSV.txt"
python3 - "$CSV" "$T" >> "$CSV.txt" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
n = len(rows)
def count(f): return sum(1 for r in rows if f(r))
print(f"reference run {float(sys.argv[2]):.1f} s; {n} kills")
print("killed while: " + ", ".join(f"{k} {count(lambda r, k=k: r['last_event'] == k)}" for k in sorted({r['last_event'] for r in rows})))
print(f"state after kill: interrupted {count(lambda r: r['state_after_kill'] == 'interrupted')}, finished {count(lambda r: r['state_after_kill'] == 'finished')}, no run folder yet (killed while the JVM started or read the data) {count(lambda r: r['state_after_kill'] == 'no-folder')}, other {count(lambda r: r['state_after_kill'] not in ('interrupted', 'finished', 'no-folder'))}")
print(f"unparsable files after kill: {sum(int(r['unparsable_after_kill']) for r in rows)}; after resume: {sum(int(r['unparsable_after_resume']) for r in rows)}")
print(f"run folders resumed to (or already) a finished run: {count(lambda r: r['resume_exit'] == '0' and r['state_after_resume'] == 'finished')} of {count(lambda r: r['state_after_kill'] != 'no-folder')}")
print(f"final model.params identical to the uninterrupted run: {count(lambda r: r['params_equal'] == 'yes')} of {n}; summary accuracy and sparsity identical: {count(lambda r: r['summary_equal'] == 'yes')} of {n}")
PY
cat "$CSV.txt"
