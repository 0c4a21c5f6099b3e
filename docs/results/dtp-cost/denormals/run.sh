#!/usr/bin/env bash
# Builds and runs SubnormalConvolution against the workbench's jar (mvn -B package -DskipTests first).
set -euo pipefail
cd "$(dirname "$0")"
root=../../../..
out=$(mktemp -d)
javac -cp "$root/target/otprune.jar:$root/target/lib/*" -d "$out" SubnormalConvolution.java
java -cp "$root/target/otprune.jar:$root/target/lib/*:$out" SubnormalConvolution 2>&1 | grep -v "Warning: AutoNonVariableTypeMode"
rm -rf "$out"
