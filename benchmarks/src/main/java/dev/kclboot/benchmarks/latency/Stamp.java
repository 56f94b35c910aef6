package dev.kclboot.benchmarks.latency;

import java.nio.ByteBuffer;

/**
 * The payload of a benchmark record: its number and the {@link System#nanoTime()} just before it was put, so a reader
 * in the same JVM knows its latency.
 * @param number the record's number in its phase (0..n-1)
 * @param putNanos when its PutRecord call started
 */
record Stamp(int number, long putNanos) {

    static final int BYTES = Integer.BYTES + Long.BYTES;

    byte[] bytes() {
        return ByteBuffer.allocate(BYTES).putInt(number).putLong(putNanos).array();
    }

    static Stamp of(ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        return new Stamp(view.getInt(), view.getLong());
    }
}
