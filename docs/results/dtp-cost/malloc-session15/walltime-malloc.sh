#!/bin/bash
# ../mlp-walltime-session15/walltime.sh with four glibc malloc settings (output walltime-malloc.txt)
MENV="MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=268435456" \
  TAG=malloc bash "$(dirname "$0")/../mlp-walltime-session15/walltime.sh"
