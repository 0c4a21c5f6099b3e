#!/bin/bash
# every second: nice +10 for every thread of the window's JVM except the FX thread and the renderer
while true; do
  for pid in $(pgrep -f io.otprune.ui.Workbench); do
    for t in /proc/$pid/task/*; do
      c=$(cat $t/comm 2>/dev/null)
      case "$c" in "JavaFX Applicat"*|QuantumRendere*|InvokeLaterDis*) ;; *) renice -n 10 -p ${t##*/} >/dev/null 2>&1;; esac
    done
  done
  sleep 1
done
