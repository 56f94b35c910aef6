package dev.kclboot.benchmarks.scale;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Puts one small record into every shard of a stream per round (PutRecords with each shard's starting hash key as
 * explicit hash key, so every shard gets one whatever the partition keys hash to), either once ({@link #putRound()})
 * or every interval on its own thread ({@link #start(Duration)} / {@link #stop()}). Remembers the sequence number of
 * every record that landed, per shard, so deliveries can be checked against it.
 */
final class ShardFeeder {

    private final KinesisClient kinesis;

    private final String stream;

    private final List<Shard> shards;

    private final Map<String, Set<String>> put = new ConcurrentHashMap<>();

    private final AtomicLong rounds = new AtomicLong();

    private volatile boolean running;

    private volatile Thread thread;

    private volatile RuntimeException failure;

    ShardFeeder(KinesisClient kinesis, String stream, List<Shard> shards) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.shards = List.copyOf(shards);
        shards.forEach(shard -> put.put(shard.shardId(), ConcurrentHashMap.newKeySet()));
    }

    /** One record into every shard; retries what Kinesis refused. */
    void putRound() {
        long round = rounds.incrementAndGet();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (Shard shard : shards) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("pk-" + shard.shardId())
                    .explicitHashKey(shard.hashKeyRange().startingHashKey())
                    .data(SdkBytes.fromString("r" + round + "-" + shard.shardId(), StandardCharsets.UTF_8)).build());
            targets.add(shard.shardId());
        }
        for (int from = 0; from < entries.size(); from += 500) {
            send(entries.subList(from, Math.min(entries.size(), from + 500)),
                    targets.subList(from, Math.min(targets.size(), from + 500)));
        }
    }

    private void send(List<PutRecordsRequestEntry> entries, List<String> targets) {
        List<PutRecordsRequestEntry> pending = List.copyOf(entries);
        List<String> pendingTargets = List.copyOf(targets);
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 10) {
                throw new IllegalStateException("PutRecords kept failing for " + pending.size() + " records");
            }
            List<PutRecordsRequestEntry> request = pending;
            PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(stream).records(request));
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            List<String> failedTargets = new ArrayList<>();
            for (int i = 0; i < response.records().size(); i++) {
                PutRecordsResultEntry result = response.records().get(i);
                if (result.errorCode() != null) {
                    failed.add(request.get(i));
                    failedTargets.add(pendingTargets.get(i));
                }
                else {
                    put.computeIfAbsent(result.shardId(), id -> ConcurrentHashMap.newKeySet()).add(result.sequenceNumber());
                }
            }
            pending = failed;
            pendingTargets = failedTargets;
        }
    }

    /** Puts a round every {@code interval} on a daemon thread until {@link #stop()}. */
    void start(Duration interval) {
        running = true;
        Thread feeder = new Thread(() -> {
            long next = System.nanoTime();
            while (running) {
                try {
                    putRound();
                }
                catch (RuntimeException ex) {
                    failure = ex;
                }
                next += interval.toNanos();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                }
            }
        }, "scale-feeder");
        feeder.setDaemon(true);
        thread = feeder;
        feeder.start();
    }

    /** Stops the thread after the round in flight. */
    void stop() throws InterruptedException {
        running = false;
        Thread feeder = thread;
        if (feeder != null) {
            feeder.join(30_000);
        }
        RuntimeException failed = failure;
        if (failed != null) {
            throw new IllegalStateException("Putting records failed: " + failed, failed);
        }
    }

    /** Sequence numbers put, per shard id. */
    Map<String, Set<String>> put() {
        return put;
    }

    long recordsPut() {
        return put.values().stream().mapToLong(Set::size).sum();
    }
}
