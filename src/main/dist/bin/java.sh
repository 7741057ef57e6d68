# Sourced by bin/orchd and bin/orchctl: picks a JDK >= 21 and the JVM flags for it.
# Order: $ORCH_JAVA; the JDK the AOT cache was trained with (lib/java-home); $JAVA_HOME; the newest
# JDK >= 21 under /usr/lib/jvm. The AOT cache is used only with the JDK that trained it (the JVM
# would ignore it anyway, noisily).

orch_java_major() { # $1 = JDK home; prints the feature version from its release file
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}

orch_pick_java() {
    if [ -n "${ORCH_JAVA:-}" ]; then JAVA="$ORCH_JAVA"; return 0; fi
    trained=$(cat "$ORCH_HOME/lib/java-home" 2>/dev/null)
    for home in "$trained" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        home=${home%/}
        [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
        major=$(orch_java_major "$home")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            JAVA="$home/bin/java"
            # Netty still uses sun.misc.Unsafe; JDK 24+ warns on stderr unless allowed
            [ "$major" -ge 24 ] && ORCH_JVM_FLAGS="--sun-misc-unsafe-memory-access=allow"
            if [ "$home" = "$trained" ] && [ -f "$ORCH_HOME/lib/app.aot" ]; then
                ORCH_AOT="-XX:AOTCache=$ORCH_HOME/lib/app.aot -Xlog:aot=off -Xlog:cds=off"
            fi
            return 0
        fi
    done
    echo "orch: needs Java 21 or newer; none found (set ORCH_JAVA or JAVA_HOME)" >&2
    exit 1
}

ORCH_HOME=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
ORCH_AOT=
ORCH_JVM_FLAGS=
orch_pick_java
