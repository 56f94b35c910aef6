#!/usr/bin/env bash
# Ordered parallelism inside a shard (issue 14): a handler sleeping 20 ms per record, 4 shards, 50 partition keys,
# records/s at concurrency 1, 2, 5, 10 and 50 in one run on kinesalite + dynalite, printed as ratios against
# concurrency 1, with missing records, duplicates and per-key order violations counted. Runs
# dev.kclboot.benchmarks.parallel.ParallelBenchmark, e.g.
#   benchmarks/run-parallel.sh                                   # the issue's matrix (about 2 minutes)
#   benchmarks/run-parallel.sh --concurrencies=1,10 --recordsPerSlot=300   # a quick look
# Settings: --name=value (see --help). JVM options: BENCH_JAVA_OPTS (default -Xms512m -Xmx1g).
# Needs Java 17+ and Node.js 18+ (the emulators run as child processes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q -o -pl benchmarks -am package -DskipTests >/dev/null 2>&1 \
    || ./mvnw -B -q -pl benchmarks -am package -DskipTests
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms512m -Xmx1g} -Daws.cborEnabled=false -cp "$classpath" \
    dev.kclboot.benchmarks.parallel.ParallelBenchmark "$@"
