package dev.kclboot.benchmarks.scale;

import java.util.List;

/**
 * The figures of one scale run ({@link ScaleRun}): S shards, one or two workers, latency added to DynamoDB, maybe one
 * stall. Durations are nanoseconds, -1 when not measured (e.g. balancing with one worker) or not reached.
 *
 * @param shards S
 * @param workers 1 or 2
 * @param latencyMillis added to every DynamoDB attempt of the workers
 * @param stallMillis the stall in the steady phase, 0 for none
 * @param takeAllNanos from the first worker's {@code start()} until it held every lease
 * @param consumeAllNanos from the first worker's {@code start()} until every shard had delivered a record
 * @param balanceNanos from the second worker's {@code start()} until the leases were split evenly
 * @param leaveNanos from the second worker's graceful {@code shutdown()} until the first held every lease again
 * @param leasesLost {@code kcl.leases.lost} of all workers over the whole run
 * @param leasesLostSteady the same, during the steady phase only
 * @param tracked the lease table watched from outside during the steady phase
 * @param calls DynamoDB requests and units of all workers during the steady phase
 * @param steadyNanos how long the steady phase lasted
 * @param jvmThreadsBefore platform threads of the JVM just before the first worker started
 * @param steadyThreads threads during the steady phase
 * @param loadThreads threads while records flowed and the second worker joined (two workers), else while taking
 * @param heapBefore used heap after GC before the first worker started
 * @param heapSteady used heap after GC at the end of the steady phase, the workers running
 * @param duplicatesJoin records delivered twice while the second worker joined
 * @param duplicatesLeave records delivered twice while it left
 * @param duplicatesTotal records delivered twice over the whole run
 * @param zombies processors shut down with ZOMBIE over the whole run (a lease lost, or not renewed for failover
 * minus one renewal interval: local expiry, which stops the consumer without counting a lost lease if a later
 * renewal succeeds)
 * @param zombiesTaking of those, while the first worker took its leases
 * @param zombiesSteady of those, during the steady phase
 * @param recordsPut records put into the stream
 * @param missing records put and never delivered
 * @param timeoutsCutShort DynamoDB attempts that the SDK's timeouts cut short (in the delay)
 * @param problems what went wrong (phases that timed out, shutdowns that did not finish)
 */
record ScaleFigures(int shards, int workers, long latencyMillis, long stallMillis, long takeAllNanos,
        long consumeAllNanos, long balanceNanos, long leaveNanos, long leasesLost, long leasesLostSteady,
        LeaseTableObserver.Tracked tracked, CallCounts calls, long steadyNanos, int jvmThreadsBefore,
        ThreadCensus.Window steadyThreads, ThreadCensus.Window loadThreads, long heapBefore, long heapSteady,
        long duplicatesJoin, long duplicatesLeave, long duplicatesTotal, long zombies, long zombiesTaking,
        long zombiesSteady, long recordsPut, long missing,
        long timeoutsCutShort, List<String> problems) {

    String label() {
        return shards + " shards, " + workers + (workers == 1 ? " worker" : " workers")
                + (stallMillis > 0 ? ", " + stallMillis / 1000 + " s stall" : "");
    }

    double requestsPerShardHour() {
        return CallCounts.perShardHour(calls.total().requests(), shards, steadyNanos);
    }

    double unitsPerShardHour() {
        return CallCounts.perShardHour(calls.total().units(), shards, steadyNanos);
    }
}
