#!/bin/sh
# Scale benchmark: N apps (default 1000) on a real systemd 252 in a private namespace (as root), orchd over D-Bus,
# routes in orch-router.service; prints the figures of docs/benchmarks.md "1,000 apps on real systemd".
# Build first: mvn -B -q package -DskipTests
set -eu
cd "$(dirname "$0")/../../.."
JAVA_HOME=${JAVA_HOME:-$(.ci/java-home)}
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$cp" dev.orch.reconcile.ScaleBench "${1:-1000}"
