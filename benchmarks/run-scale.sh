#!/usr/bin/env bash
# The scale benchmark of issue 11 (dev.kclboot.benchmarks.scale.ScaleBenchmark): one and two kcl-core workers on 20,
# 100 and 200 shards of kinesis-local with 150 ms added to every DynamoDB call, a run with one 8 s DynamoDB stall, and
# an idle run at 4 leases side by side with KCL 3.5.1. About 40 minutes with the defaults; the summary goes to stdout.
#   benchmarks/run-scale.sh                                   # the full matrix
#   benchmarks/run-scale.sh --shards=20 --steadyMs=20000 --idleRun=false --stallShards=   # a quick look
#   BENCH_RESULTS=benchmarks/results/scale-1.txt benchmarks/run-scale.sh   # also keep the raw output there
# Settings: --name=value (see --help). JVM options: BENCH_JAVA_OPTS (default -Xms512m -Xmx2g).
# KCL 3.5.1 (software.amazon.kinesis:amazon-kinesis-client and its dependencies) is fetched by a throwaway pom into
# benchmarks/target/kcl3 for the idle baseline only: it is never a dependency of this project. BENCH_KCL=false skips it.
# Needs Java 17+ and Node.js 18+ (the emulators run as child processes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q -o -pl benchmarks -am package -DskipTests >/dev/null 2>&1 \
    || ./mvnw -B -q -pl benchmarks -am package -DskipTests
kcl_args=()
if [ "${BENCH_KCL:-true}" != "false" ]; then
    kcl="$root/benchmarks/target/kcl3"
    if [ ! -d "$kcl/lib" ]; then
        mkdir -p "$kcl"
        cat > "$kcl/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>benchmark</groupId><artifactId>kcl3-fetch</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>software.amazon.kinesis</groupId>
    <artifactId>amazon-kinesis-client</artifactId><version>3.5.1</version></dependency></dependencies>
</project>
POM
        ./mvnw -B -q -f "$kcl/pom.xml" dependency:copy-dependencies -DoutputDirectory="$kcl/lib" \
            || { echo "Could not fetch KCL 3.5.1: the idle run goes on without its baseline" >&2; rm -rf "$kcl/lib"; }
    fi
    if [ -d "$kcl/lib" ]; then
        kcl_args=("--kclClasspath=$kcl/lib/*" "--kclProgram=$root/benchmarks/kcl3/KclIdleBaseline.java")
    fi
fi
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
# shellcheck disable=SC2086
command=(java ${BENCH_JAVA_OPTS:--Xms512m -Xmx2g} -cp "$classpath" dev.kclboot.benchmarks.scale.ScaleBenchmark
    "${kcl_args[@]}" "$@")
if [ -n "${BENCH_RESULTS:-}" ]; then
    mkdir -p "$(dirname "$BENCH_RESULTS")"
    { echo "\$ benchmarks/run-scale.sh $*"; "${command[@]}"; } 2>&1 | tee "$BENCH_RESULTS"
    exit "${PIPESTATUS[0]}"
fi
exec "${command[@]}"
