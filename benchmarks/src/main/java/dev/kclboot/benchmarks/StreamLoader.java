package dev.kclboot.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Loads a stream with PutRecords (up to 500 entries a call) from a few threads, retrying entries the service refused,
 * and counts how many records landed in each shard (from the shard ids in the responses), so that readers know
 * exactly how many records each shard holds.
 */
final class StreamLoader {

    private static final AtomicLong KEYS = new AtomicLong();

    private final KinesisClient kinesis;

    private final String stream;

    private final int payloadBytes;

    private final int batch;

    StreamLoader(KinesisClient kinesis, String stream, int payloadBytes, int batch) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.payloadBytes = payloadBytes;
        this.batch = batch;
    }

    /**
     * Puts {@code count} records of {@code payloadBytes} bytes with partition keys {@code pk-<n>} (their MD5 hashes
     * spread them over the shards).
     * @return records per shard id
     */
    Map<String, Long> load(int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "bench-loader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Map<String, Long>>> parts = new ArrayList<>();
            int per = count / threads;
            for (int t = 0; t < threads; t++) {
                int share = (t == threads - 1) ? count - per * (threads - 1) : per;
                parts.add(pool.submit(() -> loadPart(share)));
            }
            Map<String, Long> perShard = new TreeMap<>();
            for (Future<Map<String, Long>> part : parts) {
                part.get().forEach((shard, n) -> perShard.merge(shard, n, Long::sum));
            }
            return perShard;
        }
        finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Long> loadPart(int count) {
        Map<String, Long> perShard = new TreeMap<>();
        List<PutRecordsRequestEntry> entries = new ArrayList<>(batch);
        for (int i = 0; i < count; i++) {
            entries.add(entry(KEYS.incrementAndGet()));
            if (entries.size() == batch || i == count - 1) {
                put(entries, perShard);
                entries.clear();
            }
        }
        return perShard;
    }

    private PutRecordsRequestEntry entry(long n) {
        byte[] data = new byte[payloadBytes];
        byte[] label = ("record-" + n + "-").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < data.length; i++) {
            data[i] = (i < label.length) ? label[i] : (byte) ('a' + (i % 26));
        }
        return PutRecordsRequestEntry.builder().partitionKey("pk-" + n).data(SdkBytes.fromByteArrayUnsafe(data))
                .build();
    }

    private void put(List<PutRecordsRequestEntry> entries, Map<String, Long> perShard) {
        List<PutRecordsRequestEntry> pending = List.copyOf(entries);
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 20) {
                throw new IllegalStateException("PutRecords kept failing for " + pending.size() + " records");
            }
            if (attempt > 0) {
                sleep(Math.min(1000, 50L << Math.min(attempt, 5)));
            }
            List<PutRecordsRequestEntry> request = pending;
            PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(stream).records(request));
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            for (int i = 0; i < response.records().size(); i++) {
                PutRecordsResultEntry result = response.records().get(i);
                if (result.errorCode() != null) {
                    failed.add(request.get(i));
                }
                else {
                    perShard.merge(result.shardId(), 1L, Long::sum);
                }
            }
            pending = failed;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while loading", ex);
        }
    }
}
