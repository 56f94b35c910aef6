package dev.kclboot.benchmarks.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Writes unique ids (the record data is the id in decimal) over a fixed set of partition keys at a steady pace, on
 * one thread: each PutRecords request carries at most one record per key and is sent only after the previous
 * response, so the write order of each key is certain. Keys take turns in groups. A record the service refused (or a
 * request that failed) stays the next record of its key and is sent again on the key's next turn, so per-key order
 * holds through retries too.
 * <p>
 * Each acknowledged record is logged as {@code W ackNanos sentNanos id key shard sequence}; a record whose request
 * failed may still have landed, and then appears in the stream twice (the checker knows it as an unacknowledged
 * copy).
 */
final class IdProducer implements AutoCloseable {

    private final KinesisClient kinesis;

    private final String stream;

    private final List<String> keys;

    private final int keysPerRequest;

    private final Duration interval;

    private final LineLog log;

    private final @Nullable Long[] pending;

    private final AtomicLong nextId = new AtomicLong(1);

    private final AtomicLong acknowledged = new AtomicLong();

    private final AtomicLong refusedEntries = new AtomicLong();

    private final AtomicLong failedRequests = new AtomicLong();

    private volatile boolean running;

    private @Nullable Thread thread;

    private volatile @Nullable Throwable failure;

    /**
     * @param keys how many partition keys ({@code key-00}...)
     * @param keysPerRequest records per PutRecords request (one per key)
     * @param interval the time from one request to the next (longer when a request takes longer)
     */
    IdProducer(KinesisClient kinesis, String stream, int keys, int keysPerRequest, Duration interval, LineLog log) {
        this.kinesis = kinesis;
        this.stream = stream;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            names.add(String.format("key-%02d", i));
        }
        this.keys = List.copyOf(names);
        this.keysPerRequest = Math.min(keysPerRequest, keys);
        this.interval = interval;
        this.log = log;
        this.pending = new Long[keys];
    }

    synchronized void start() {
        running = true;
        Thread producer = new Thread(this::produce, "chaos-producer");
        producer.setDaemon(true);
        thread = producer;
        producer.start();
    }

    /** Stops after the request in flight; returns once the thread is gone. */
    @Override
    public void close() {
        running = false;
        Thread producer = thread;
        if (producer != null) {
            try {
                producer.join(Duration.ofSeconds(60).toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Ids handed out; {@code sent - 1 - acknowledged} were still waiting for a retry at the end. */
    long idsIssued() {
        return nextId.get() - 1;
    }

    long refusedEntries() {
        return refusedEntries.get();
    }

    long failedRequests() {
        return failedRequests.get();
    }

    /** Records that were still to be retried when the producer stopped (never acknowledged). */
    synchronized long unacknowledgedAtEnd() {
        long count = 0;
        for (Long id : pending) {
            if (id != null) {
                count++;
            }
        }
        return count;
    }

    /** What stopped the producer thread, if anything did. */
    @Nullable Throwable failure() {
        return failure;
    }

    private void produce() {
        int turn = 0;
        try {
            while (running) {
                long start = System.nanoTime();
                List<Integer> group = new ArrayList<>(keysPerRequest);
                for (int i = 0; i < keysPerRequest; i++) {
                    group.add((turn + i) % keys.size());
                }
                turn = (turn + keysPerRequest) % keys.size();
                put(group);
                long wait = interval.toNanos() - (System.nanoTime() - start);
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException | Error ex) {
            failure = ex;
            throw ex;
        }
    }

    private void put(List<Integer> group) {
        List<Long> ids = new ArrayList<>(group.size());
        List<PutRecordsRequestEntry> entries = new ArrayList<>(group.size());
        synchronized (this) {
            for (int key : group) {
                Long id = pending[key];
                if (id == null) {
                    id = nextId.getAndIncrement();
                    pending[key] = id;
                }
                ids.add(id);
                entries.add(PutRecordsRequestEntry.builder().partitionKey(keys.get(key))
                        .data(SdkBytes.fromString(Long.toString(id), StandardCharsets.US_ASCII)).build());
            }
        }
        long sent = System.nanoTime();
        PutRecordsResponse response;
        try {
            response = kinesis.putRecords(r -> r.streamName(stream).records(entries));
        }
        catch (SdkException ex) {
            // Every record of the request stays pending; some may have landed anyway (the checker allows for it).
            failedRequests.incrementAndGet();
            return;
        }
        synchronized (this) {
            for (int i = 0; i < group.size(); i++) {
                PutRecordsResultEntry result = response.records().get(i);
                if (result.errorCode() != null) {
                    refusedEntries.incrementAndGet();
                    continue;
                }
                int key = group.get(i);
                pending[key] = null;
                acknowledged.incrementAndGet();
                log.append('W', sent, ids.get(i), keys.get(key), result.shardId(), result.sequenceNumber());
            }
        }
    }
}
