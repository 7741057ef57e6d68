#!/bin/sh
# Scale benchmark: N apps (default 1000) on a real systemd 252 in a private namespace (as root), orchd over D-Bus,
# routes in orch-router.service; prints the figures of docs/benchmarks.md "1,000 apps on real systemd".
# Build first: mvn -B -q package -DskipTests
set -eu
cd "$(dirname "$0")/../../.."
JAVA_HOME=${JAVA_HOME:-$(.ci/java-home)}
# the classpath through a file: on stdout, Maven's colour codes would end up in the first entry
mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile=target/scale-bench.classpath -Dmdep.includeScope=test >/dev/null
cp=$(cat target/scale-bench.classpath)
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$cp" dev.orch.reconcile.ScaleBench "${1:-1000}"
