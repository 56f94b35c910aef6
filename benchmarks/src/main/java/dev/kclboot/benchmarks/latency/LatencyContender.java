package dev.kclboot.benchmarks.latency;

import dev.kclboot.test.LocalKinesis;

/**
 * One way of reading the benchmark's stream, told every record it receives.
 */
interface LatencyContender extends AutoCloseable {

    /** A short name for the report. */
    String name();

    /**
     * Starts reading the stream from its start and returns once it reads every shard (leases taken, subscriptions
     * open), so that the records written afterwards measure steady-state latency, not startup.
     */
    void start(LocalKinesis local, String stream, int shards, LatencyRecorder recorder) throws Exception;

    @Override
    void close();
}
