#!/usr/bin/env bash
# Builds the installers with the JDK's jpackage (see README "Installing"):
#   target/installer/otprune-workbench/                       the app image (launchers bin/otprune-workbench, bin/otprune)
#   target/installer/otprune-workbench-VERSION-linux-x64.tar.gz  the app image, tarred
#   target/installer/otprune-workbench_VERSION_amd64.deb          the Debian package (skipped with --app-image-only)
# Each bundles a jlink'ed runtime (only the modules the app needs), the app's jars (no test jars), the sample
# models and, inside the jar, the embedded datasets. Needs JDK 17 with jmods, and fakeroot + dpkg-deb for the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."
only_image=false
[[ "${1:-}" == "--app-image-only" ]] && only_image=true

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q package -DskipTests
fi
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
JP="$JAVA_HOME/bin/jpackage"
# the project's version (the first <version> of pom.xml, right under its artifactId); jpackage wants digits and dots
VERSION=$(sed -n 's:^  <version>\([0-9.]*\).*</version>:\1:p' pom.xml | head -1)
OUT=target/installer
rm -rf "$OUT"
mkdir -p "$OUT/input"

# the app: our jar and its runtime dependencies; the classifier-less JavaFX jars are empty stubs, left out
cp target/otprune.jar "$OUT/input/"
for j in target/lib/*.jar; do
  [[ $(basename "$j") =~ ^javafx-[a-z]+-[0-9.]+\.jar$ ]] && continue
  cp "$j" "$OUT/input/"
done
cp -r sample-models "$OUT/input/sample-models"

# the runtime: only the modules needed (PITFALLS 12)
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.sql,java.xml,java.compiler,jdk.unsupported,jdk.unsupported.desktop,java.naming,java.prefs,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/runtime"

"$JP" --type app-image --name otprune-workbench --app-version "$VERSION" \
  --input "$OUT/input" --main-jar otprune.jar --main-class io.otprune.ui.Workbench \
  --runtime-image "$OUT/runtime" --icon assets/icon.png \
  --java-options '-Dotprune.samples=$APPDIR/sample-models' --java-options '-XX:TieredStopAtLevel=1' --java-options '-XX:+UseSerialGC' \
  --add-launcher otprune=installer/otprune-cli.properties \
  --description "OTPrune Workbench: neural-network pruning by optimal transport" --vendor "OTPrune Workbench" \
  --dest "$OUT"
tar -C "$OUT" -czf "$OUT/otprune-workbench-$VERSION-linux-x64.tar.gz" otprune-workbench
echo "app image: $OUT/otprune-workbench ($(du -sh "$OUT/otprune-workbench" | cut -f1)), tarred $(du -h "$OUT/otprune-workbench-$VERSION-linux-x64.tar.gz" | cut -f1)"

if ! $only_image; then
  "$JP" --type deb --app-image "$OUT/otprune-workbench" --name otprune-workbench --app-version "$VERSION" \
    --icon assets/icon.png --resource-dir installer/deb \
    --linux-package-deps "libgtk-3-0, libxtst6, libxxf86vm1, libgl1, libasound2" \
    --linux-shortcut --linux-menu-group "Development;Science;" --linux-app-category science \
    --linux-deb-maintainer otprune@users.noreply.github.com \
    --description "OTPrune Workbench: neural-network pruning by optimal transport" --vendor "OTPrune Workbench" \
    --dest "$OUT"
  echo "deb: $(ls "$OUT"/*.deb) ($(du -h "$OUT"/*.deb | cut -f1))"
fi
