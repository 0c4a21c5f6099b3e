#!/bin/bash
# window-only runs: $1 = name, $2 = extra java opts
cd /work/main
G=/tmp/gp-$1; rm -rf $G; mkdir -p $G
xvfb-run -a -s "-screen 0 1600x1000x24" java -XX:TieredStopAtLevel=1 $2 -Dotprune.noPrefs=true -Dotprune.autostart=true \
  -Dotprune.data=fashion-mnist -Dotprune.runs=$G/window-runs -Dotprune.perf=$G/window-perf.json -Dotprune.perf.exit=true \
  -cp "target/classes:target/lib/*" io.otprune.ui.Workbench > $G/window.log 2>&1
python3 -c "
import json;w=json.load(open('$G/window-perf.json'));print('$1', {k:w[k] for k in ['pulsesDuringRun','pulseTimeMedianMs','pulseTimeP99Ms','pulseTimeMaxMs','pulsesOver50Ms','uiWorkPerPulseMeanMs','uiWorkPerPulseMaxMs','runSeconds','javaThreadCpuSecondsDuringRun']})"
