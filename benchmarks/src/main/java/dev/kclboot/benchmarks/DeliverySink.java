package dev.kclboot.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;

/**
 * Where the no-op processors of one worker report: when the first record arrived, when the target count was reached,
 * how many records each shard delivered. Its processors touch each payload (as the plain loop does), optionally
 * sleep to simulate work, and call {@code checkpoint()} after every batch.
 */
final class DeliverySink {

    private final long target;

    private final AtomicLong delivered = new AtomicLong();

    private final AtomicLong firstNanos = new AtomicLong();

    private volatile long firstBatchSize;

    private final LongAdder batches = new LongAdder();

    private final LongAdder bytes = new LongAdder();

    private final LongAdder shutdownErrors = new LongAdder();

    private final ConcurrentMap<String, LongAdder> perShard = new ConcurrentHashMap<>();

    private final Object lock = new Object();

    private volatile long doneNanos;

    private final long processingMillis;

    DeliverySink(long target, long processingMillis) {
        this.target = target;
        this.processingMillis = processingMillis;
    }

    /** A processor factory for {@code Worker.Builder#recordProcessorFactory}. */
    RecordProcessor newProcessor() {
        return new CountingProcessor();
    }

    long delivered() {
        return delivered.get();
    }

    long batches() {
        return batches.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    long shutdownErrors() {
        return shutdownErrors.sum();
    }

    /** {@link System#nanoTime()} when the first batch reached a processor, 0 before. */
    long firstNanos() {
        return firstNanos.get();
    }

    /** {@link System#nanoTime()} when the target count had been delivered and checkpointed, 0 before. */
    long doneNanos() {
        return doneNanos;
    }

    Map<String, Long> perShard() {
        Map<String, Long> result = new TreeMap<>();
        perShard.forEach((shard, count) -> result.put(shard, count.sum()));
        return result;
    }

    /** Waits until the first record arrives; false when the deadline ({@link System#nanoTime()}) passed first. */
    boolean awaitFirst(long deadlineNanos) throws InterruptedException {
        return await(deadlineNanos, () -> firstNanos.get() != 0);
    }

    /** Waits until the target count was delivered; false when the deadline passed first. */
    boolean awaitDone(long deadlineNanos) throws InterruptedException {
        return await(deadlineNanos, () -> doneNanos != 0);
    }

    private boolean await(long deadlineNanos, java.util.function.BooleanSupplier condition) throws InterruptedException {
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Records in the batch that arrived first (fetched before {@link #firstNanos()}). */
    long firstBatchSize() {
        return firstBatchSize;
    }

    private void first(int size) {
        if (firstNanos.get() == 0 && firstNanos.compareAndSet(0, System.nanoTime())) {
            firstBatchSize = size;
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void add(String shardId, int count, long payloadBytes) {
        batches.increment();
        bytes.add(payloadBytes);
        perShard.computeIfAbsent(shardId, key -> new LongAdder()).add(count);
        long total = delivered.addAndGet(count);
        if (total >= target && doneNanos == 0) {
            long now = System.nanoTime();
            synchronized (lock) {
                if (doneNanos == 0) {
                    doneNanos = now;
                }
                lock.notifyAll();
            }
        }
    }

    /** Counts, touches each payload, checkpoints after every batch. */
    private final class CountingProcessor implements RecordProcessor {

        private String shardId = "?";

        @Override
        public void initialize(String shardId) {
            this.shardId = shardId;
        }

        @Override
        public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
            first(records.size());
            long payload = 0;
            for (KinesisRecord record : records) {
                payload += record.data().remaining();
            }
            if (processingMillis > 0) {
                try {
                    Thread.sleep(processingMillis);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            checkpointer.checkpoint();
            add(shardId, records.size(), payload);
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
            if (reason == ShutdownReason.ZOMBIE) {
                return;
            }
            try {
                checkpointer.checkpoint();
            }
            catch (RuntimeException ex) {
                shutdownErrors.increment();
                System.err.println("checkpoint at shutdown(" + reason + ") of " + shardId + " failed: " + ex);
            }
        }
    }
}
