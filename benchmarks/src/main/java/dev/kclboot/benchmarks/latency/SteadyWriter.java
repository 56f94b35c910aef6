package dev.kclboot.benchmarks.latency;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Puts numbered, time-stamped records one PutRecord at a time at a steady rate (each call is due at
 * {@code start + n / rate}; a late call goes at once and is stamped when it goes), with random partition keys so
 * every shard gets its share. Runs on its own thread so that its CPU can be told apart from the readers'.
 */
final class SteadyWriter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final KinesisClient kinesis;

    private final String stream;

    private final int records;

    private final double perSecond;

    private volatile long cpuNanos;

    private volatile int written;

    private final Thread thread;

    SteadyWriter(KinesisClient kinesis, String stream, int records, double perSecond) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.records = records;
        this.perSecond = perSecond;
        this.thread = new Thread(this::write, "steady-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The thread that puts the records. */
    Thread thread() {
        return thread;
    }

    void join() throws InterruptedException {
        thread.join();
    }

    /** Records put so far. */
    int written() {
        return written;
    }

    /** CPU the writer thread used so far (its PutRecord calls run on it: the Apache client is blocking). */
    long cpuNanos() {
        long now = thread.isAlive() ? THREADS.getThreadCpuTime(thread.getId()) : -1;
        return now >= 0 ? now : cpuNanos;
    }

    private void write() {
        long start = System.nanoTime();
        long interval = (long) (1e9 / perSecond);
        for (int i = 0; i < records; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Stamp stamp = new Stamp(i, System.nanoTime());
            String key = Long.toHexString(ThreadLocalRandom.current().nextLong());
            kinesis.putRecord(request -> request.streamName(stream).partitionKey(key)
                    .data(SdkBytes.fromByteArray(stamp.bytes())));
            written = i + 1;
            cpuNanos = THREADS.getCurrentThreadCpuTime();
        }
    }
}
