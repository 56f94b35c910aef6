package dev.kclboot.benchmarks.latency;

import dev.kclboot.test.LocalKinesis;

/**
 * Reads nothing: its phase measures what this JVM spends besides reading while records are written (JIT, garbage
 * collection, the emulators' log pumps), which the other phases' CPU per record is given net of.
 */
final class NoReader implements LatencyContender {

    @Override
    public String name() {
        return "baseline: writer only";
    }

    @Override
    public void start(LocalKinesis local, String stream, int shards, LatencyRecorder recorder) {
    }

    @Override
    public void close() {
    }
}
