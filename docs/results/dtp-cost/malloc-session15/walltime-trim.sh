#!/bin/bash
# ../mlp-walltime-session15/walltime.sh with glibc's two thresholds only (output walltime-trim.txt)
MENV="MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824" \
  TAG=trim bash "$(dirname "$0")/../mlp-walltime-session15/walltime.sh"
