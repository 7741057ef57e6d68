# Sourced by bin/orchd and bin/orchctl: picks a JDK >= 21 and the JVM flags for it, using shell builtins
# only on the common path (a CLI call pays for every fork here).
# Order: $ORCH_JAVA; the JDK the AOT cache was trained with (lib/java-home); $JAVA_HOME; the newest
# JDK >= 21 under /usr/lib/jvm. The AOT cache is used only with the JDK that trained it (the JVM
# would ignore it anyway, noisily).

orch_java_major() { # $1 = JDK home; sets major from its release file (JAVA_VERSION="25.0.3")
    major=
    [ -r "$1/release" ] || return 0
    while IFS= read -r line; do
        case $line in
            JAVA_VERSION=*) v=${line#JAVA_VERSION=\"}; major=${v%%[!0-9]*}; return 0 ;;
        esac
    done < "$1/release"
}

orch_try() { # $1 = JDK home; succeeds and sets JAVA when it is >= 21
    [ -n "$1" ] && [ -x "$1/bin/java" ] || return 1
    orch_java_major "$1"
    [ -n "$major" ] && [ "$major" -ge 21 ] || return 1
    JAVA="$1/bin/java"
    # Netty still uses sun.misc.Unsafe; JDK 24+ warns on stderr unless allowed
    if [ "$major" -ge 24 ]; then ORCH_JVM_FLAGS="--sun-misc-unsafe-memory-access=allow"; fi
    if [ "$1" = "$trained" ] && [ -f "$ORCH_HOME/lib/app.aot" ]; then
        ORCH_AOT="-XX:AOTCache=$ORCH_HOME/lib/app.aot -Xlog:aot=off -Xlog:cds=off"
    fi
    return 0
}

orch_pick_java() {
    if [ -n "${ORCH_JAVA:-}" ]; then JAVA="$ORCH_JAVA"; return 0; fi
    trained=
    [ -r "$ORCH_HOME/lib/java-home" ] && IFS= read -r trained < "$ORCH_HOME/lib/java-home"
    orch_try "$trained" && return 0
    orch_try "${JAVA_HOME:-}" && return 0
    for home in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        orch_try "${home%/}" && return 0
    done
    echo "orch: needs Java 21 or newer; none found (set ORCH_JAVA or JAVA_HOME)" >&2
    exit 1
}

# the launcher set orch_self=$(readlink -f "$0")
ORCH_HOME=${orch_self%/bin/*}
# A CLI call's Vert.x needs no DNS resolver (unix socket), no pooled buffers and no classpath file cache
ORCH_CLI_FLAGS="-Dvertx.disableDnsResolver=true -Dio.netty.allocator.type=unpooled -Dvertx.disableFileCPResolving=true"
ORCH_AOT=
ORCH_JVM_FLAGS=
orch_pick_java
