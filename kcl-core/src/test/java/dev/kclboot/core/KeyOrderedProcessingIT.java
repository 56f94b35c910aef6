package dev.kclboot.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.parallel.BatchHandler;
import dev.kclboot.core.parallel.KeyOrderedProcessorFactory;
import dev.kclboot.core.parallel.RecordHandler;
import dev.kclboot.core.parallel.RecordNotDoneException;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShardFailedException;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import dev.kclboot.test.kpl.KplAggregate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ordered parallelism inside a shard on real workers against the emulators: {@link KeyOrderedProcessorFactory} with
 * concurrency above 1. Every delivery is logged with the worker that made it; order is checked per key over the
 * sequence numbers, counts are exact (duplicates counted, never hidden).
 */
@EmbeddedKinesis
class KeyOrderedProcessingIT {

    /** One handler call that returned (the record is done), in the order they returned. */
    record Delivery(String worker, String shardId, String key, String payload, BigInteger sequence) {
    }

    private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

    /** Everything that happened, in order: deliveries ("done <payload>") and processor shutdowns. */
    private final Queue<String> events = new ConcurrentLinkedQueue<>();

    private final List<CountDownLatch> gates = new ArrayList<>();

    private final List<String> streams = new ArrayList<>();

    private @Nullable LocalKinesis emulators;

    @AfterEach
    void releaseAndDelete() {
        gates.forEach(CountDownLatch::countDown);
        if (emulators != null) {
            streams.forEach(stream -> TestStreams.delete(emulators, stream));
        }
    }

    @Test
    void manyKeysOnASlowHandlerRunInParallelInOrderPerKeyEachOnce(LocalKinesis local) {
        String stream = stream(local, 2);
        String application = LocalKinesis.uniqueName("app");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int window = 20;
        Map<String, AtomicInteger> runningPerShard = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
        AtomicInteger mostAtOnceInAShard = new AtomicInteger();
        AtomicInteger overlapsWithinAKey = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        RecordHandler slow = record -> {
            AtomicInteger shard = runningPerShard.computeIfAbsent(record.shardId(), ignored -> new AtomicInteger());
            mostAtOnceInAShard.accumulateAndGet(shard.incrementAndGet(), Math::max);
            if (runningPerKey.computeIfAbsent(record.partitionKey(), ignored -> new AtomicInteger()).incrementAndGet() > 1) {
                overlapsWithinAKey.incrementAndGet();
            }
            mostInFlight.accumulateAndGet((int) gauge(registry, EngineMetrics.PARALLEL_IN_FLIGHT, record.shardId()),
                    Math::max);
            Thread.sleep(5);
            runningPerKey.get(record.partitionKey()).decrementAndGet();
            shard.decrementAndGet();
        };
        KeyOrderedProcessorFactory factory = KeyOrderedProcessorFactory.builder().concurrency(5).window(window)
                .checkpointInterval(Duration.ofMillis(200)).meterRegistry(registry, application)
                .handler(logging("worker-a", slow)).build();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", factory, builder -> builder.maxRecords(50));
            List<String> written = TestStreams.put(local, stream, "p", 400, 40);

            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= written.size());
            // The checkpoint of each shard reaches its last record (the watermark passed everything).
            Map<String, BigInteger> lastPerShard = lastSequencePerShard();
            DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
            await().atMost(Duration.ofSeconds(30)).until(() -> lastPerShard.entrySet().stream().allMatch(entry ->
                    checkpointOf(table, entry.getKey()).equals(ExtendedSequenceNumber.of(entry.getValue().toString()))));
            assertThat(worker.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(registry.find(EngineMetrics.PARALLEL_IN_FLIGHT).gauges()).as("gauges removed at shutdown").isEmpty();

            assertThat(countsPerPayload()).containsOnlyKeys(written).allSatisfy((payload, count) ->
                    assertThat(count).as(payload).isEqualTo(1));
            assertThat(deliveries).hasSize(written.size());
            assertInShardOrderPerKey(List.copyOf(deliveries));
            assertThat(overlapsWithinAKey.get()).as("two records of one key at once").isZero();
            assertThat(mostAtOnceInAShard.get()).as("records of a shard running at once").isBetween(2, 5);
            assertThat(mostInFlight.get()).as("records in flight in a shard").isBetween(1, window);
        }
    }

    @Test
    void aBatchHandlerGetsKeyGroupsOfEachBatchInOrderWhileAPoisonedGroupWaitsAlone(LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        int groups = 4;
        CountDownLatch cured = gate();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        Queue<List<String>> calls = new ConcurrentLinkedQueue<>();
        BatchHandler handler = records -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (records.stream().anyMatch(record -> payload(record).equals("p-key3-5")) && cured.getCount() > 0) {
                    throw new IllegalStateException("poison");
                }
                Thread.sleep(20);
                calls.add(records.stream().map(KeyOrderedProcessingIT::payload).toList());
                for (KinesisRecord record : records) {
                    deliveries.add(new Delivery("worker-a", record.shardId(), record.partitionKey(), payload(record),
                            new BigInteger(record.sequenceNumber())));
                }
            }
            finally {
                running.decrementAndGet();
            }
        };
        KeyOrderedProcessorFactory factory = KeyOrderedProcessorFactory.builder().concurrency(groups)
                .checkpointInterval(Duration.ofMillis(100)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(50))
                .batchHandler(handler).build();
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", factory, builder -> builder.maxRecords(40));
            List<String> written = TestStreams.put(local, stream, "p", 400, 20);
            Map<String, BigInteger> sequences = sequencesOfWrittenRecords(local, stream);
            String shardId = onlyShard(local, stream);
            int poisonGroup = Math.floorMod("key3".hashCode(), groups);
            List<String> otherGroups = written.stream().filter(payload -> groupOf(payload, groups) != poisonGroup)
                    .toList();

            // Every group but key3's goes to its end; the checkpoint stays before the poisoned record's sub-batch.
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.stream().map(Delivery::payload).toList()
                    .containsAll(otherGroups));
            BigInteger poison = sequences.get("p-key3-5");
            await().atMost(Duration.ofSeconds(30)).until(() -> !checkpointOf(table, shardId).isSentinel());
            assertThat(new BigInteger(checkpointOf(table, shardId).sequenceNumber())).isLessThan(poison);
            assertThat(deliveries).extracting(Delivery::payload).doesNotContain("p-key3-5", "p-key3-6");

            cured.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= written.size());
            BigInteger last = sequences.values().stream().max(Comparator.naturalOrder()).orElseThrow();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> checkpointOf(table, shardId).equals(ExtendedSequenceNumber.of(last.toString())));
            assertThat(worker.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(countsPerPayload()).containsOnlyKeys(written)
                    .allSatisfy((payload, count) -> assertThat(count).as(payload).isEqualTo(1));
        }
        assertInShardOrderPerKey(List.copyOf(deliveries));
        // Each call holds the records of one key group, and the groups ran at once.
        assertThat(calls).allSatisfy(call -> assertThat(call).allSatisfy(payload -> assertThat(groupOf(payload, groups))
                .as("group of %s in call %s", payload, call).isEqualTo(groupOf(call.get(0), groups))));
        assertThat(mostAtOnce.get()).isBetween(2, groups);
    }

    @Test
    void aWorkerKilledMidFlightLeavesTheCheckpointBeforeItsUnfinishedRecordsAndTheNextOwnerRedoesExactlyThose(
            LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        CountDownLatch never = gate();
        // key3's third record never finishes on worker A: it is in the handler when A dies.
        RecordHandler blocking = record -> {
            if (payload(record).equals("p-key3-2")) {
                never.await();
            }
        };
        KeyOrderedProcessorFactory first = KeyOrderedProcessorFactory.builder().concurrency(4).window(200)
                .checkpointInterval(Duration.ofMillis(100)).handler(logging("worker-a", blocking)).build();
        KeyOrderedProcessorFactory second = KeyOrderedProcessorFactory.builder().concurrency(4)
                .checkpointInterval(Duration.ofMillis(100)).handler(logging("worker-b", record -> {
                })).build();
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker a = fixture.start(application, stream, "worker-a", first, builder -> builder.maxRecords(30));
            List<String> written = TestStreams.put(local, stream, "p", 100, 10);

            // Everything but key3 from its third record on is done on A; the checkpoint settles before that record.
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= written.size() - 8);
            List<Delivery> byA = List.copyOf(deliveries);
            Map<String, BigInteger> sequences = sequencesOfWrittenRecords(local, stream);
            BigInteger poison = sequences.get("p-key3-2");
            BigInteger before = sequences.values().stream().filter(seq -> seq.compareTo(poison) < 0)
                    .max(Comparator.naturalOrder()).orElseThrow();
            String shardId = onlyShard(local, stream);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> checkpointOf(table, shardId).equals(ExtendedSequenceNumber.of(before.toString())));
            a.halt();
            ExtendedSequenceNumber stored = checkpointOf(table, shardId);

            Worker b = fixture.start(application, stream, "worker-b", second, builder -> {
            });
            List<String> expectedOnB = sequences.entrySet().stream()
                    .filter(entry -> entry.getValue().compareTo(new BigInteger(stored.sequenceNumber())) > 0)
                    .map(Map.Entry::getKey).toList();
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveriesBy("worker-b").size() >= expectedOnB.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> checkpointOf(table, shardId)
                    .equals(ExtendedSequenceNumber.of(sequences.values().stream().max(Comparator.naturalOrder())
                            .orElseThrow().toString())));
            assertThat(b.shutdown(Duration.ofSeconds(10))).isTrue();

            assertThat(byA).extracting(Delivery::payload).doesNotContain("p-key3-2", "p-key3-3", "p-key3-9");
            assertThat(byA).hasSize(written.size() - 8);
            // Nothing at or before the stored checkpoint was unfinished on A.
            sequences.forEach((payload, seq) -> {
                if (seq.compareTo(new BigInteger(stored.sequenceNumber())) <= 0) {
                    assertThat(byA).extracting(Delivery::payload).as("done on A before the checkpoint").contains(payload);
                }
            });
            // B delivered exactly the records after the checkpoint: the unfinished ones and the later ones, each once.
            List<Delivery> byB = deliveriesBy("worker-b");
            assertThat(byB).extracting(Delivery::payload).containsExactlyInAnyOrderElementsOf(expectedOnB);
            assertThat(byB).extracting(Delivery::payload).contains("p-key3-2", "p-key3-3", "p-key3-9");
            assertInShardOrderPerKey(byA);
            assertInShardOrderPerKey(byB);
        }
    }

    @Test
    void aPoisonRecordBlocksOnlyItsKeyAndTheCheckpointStaysBeforeIt(LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        CountDownLatch cured = gate();
        AtomicInteger poisonAttempts = new AtomicInteger();
        RecordHandler poisoned = record -> {
            if (payload(record).equals("p-key3-5") && cured.getCount() > 0) {
                poisonAttempts.incrementAndGet();
                throw new IllegalStateException("poison");
            }
        };
        KeyOrderedProcessorFactory factory = KeyOrderedProcessorFactory.builder().concurrency(4).window(500)
                .checkpointInterval(Duration.ofMillis(100)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(50))
                .handler(logging("worker-a", poisoned)).build();
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", factory, builder -> builder.maxRecords(40));
            List<String> written = TestStreams.put(local, stream, "p", 200, 10);
            Map<String, BigInteger> sequences = sequencesOfWrittenRecords(local, stream);
            String shardId = onlyShard(local, stream);
            List<String> otherKeys = written.stream().filter(payload -> !payload.startsWith("p-key3-")).toList();
            List<String> key3BeforePoison = List.of("p-key3-0", "p-key3-1", "p-key3-2", "p-key3-3", "p-key3-4");

            // Every other key goes on to its end while key3 waits behind the poison.
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= otherKeys.size() + 5);
            BigInteger poison = sequences.get("p-key3-5");
            BigInteger before = sequences.values().stream().filter(seq -> seq.compareTo(poison) < 0)
                    .max(Comparator.naturalOrder()).orElseThrow();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> checkpointOf(table, shardId).equals(ExtendedSequenceNumber.of(before.toString())));
            assertThat(deliveries).extracting(Delivery::payload)
                    .containsExactlyInAnyOrderElementsOf(concat(otherKeys, key3BeforePoison));
            assertThat(poisonAttempts.get()).isGreaterThan(1);

            cured.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() >= written.size());
            BigInteger last = sequences.values().stream().max(Comparator.naturalOrder()).orElseThrow();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> checkpointOf(table, shardId).equals(ExtendedSequenceNumber.of(last.toString())));
            assertThat(worker.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(countsPerPayload()).containsOnlyKeys(written).allSatisfy((payload, count) ->
                    assertThat(count).as(payload).isEqualTo(1));
            assertInShardOrderPerKey(List.copyOf(deliveries));
        }
    }

    @Test
    void aBlockedKeyFillsTheWindowAndStopsTheReadsWithoutGrowingMemory(LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch released = gate();
        int window = 10;
        AtomicInteger mostInFlight = new AtomicInteger();
        RecordHandler blocking = record -> {
            mostInFlight.accumulateAndGet((int) gauge(registry, EngineMetrics.PARALLEL_IN_FLIGHT, record.shardId()),
                    Math::max);
            if (payload(record).equals("p-key3-1")) {
                released.await();
            }
        };
        KeyOrderedProcessorFactory factory = KeyOrderedProcessorFactory.builder().concurrency(4).window(window)
                .checkpointInterval(Duration.ofMillis(100)).meterRegistry(registry, application)
                .handler(logging("worker-a", blocking)).build();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", factory, builder -> builder.maxRecords(25));
            List<String> written = TestStreams.put(local, stream, "p", 300, 10);
            String shardId = onlyShard(local, stream);

            // key3 has 30 records: its blocked one and those behind it fill the window, and the shard stops reading.
            await().atMost(Duration.ofSeconds(60)).until(() -> gauge(registry, EngineMetrics.PARALLEL_IN_FLIGHT, shardId)
                    == window && keysWaiting(registry, shardId) == 1);
            int deliveredWhileBlocked = deliveries.size();
            assertThat(deliveredWhileBlocked).isLessThan(written.size() - 29);
            assertThat(deliveries).extracting(Delivery::payload).doesNotContain("p-key3-1", "p-key3-2");

            released.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= written.size());
            assertThat(worker.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(mostInFlight.get()).as("records in flight").isBetween(1, window);
            assertThat(countsPerPayload()).containsOnlyKeys(written).allSatisfy((payload, count) ->
                    assertThat(count).as(payload).isEqualTo(1));
            assertInShardOrderPerKey(List.copyOf(deliveries));
        }
    }

    @Test
    void aGracefulStopWithAKeyBlockedAndTheWindowFullCheckpointsTheWatermarkAndReleasesTheLease(LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch never = gate();
        int window = 10;
        RecordHandler blocking = record -> {
            if (payload(record).equals("p-key3-2")) {
                never.await();
            }
        };
        // The worker waits up to 20 s; the processor gives its records in flight 1 s, then stops at the watermark.
        KeyOrderedProcessorFactory first = KeyOrderedProcessorFactory.builder().concurrency(4).window(window)
                .checkpointInterval(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(1))
                .meterRegistry(registry, application).handler(logging("worker-a", blocking)).build();
        KeyOrderedProcessorFactory second = KeyOrderedProcessorFactory.builder().concurrency(4)
                .handler(logging("worker-b", record -> {
                })).build();
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker a = fixture.start(application, stream, "worker-a", first, builder -> builder.maxRecords(25));
            List<String> written = TestStreams.put(local, stream, "p", 200, 10);
            Map<String, BigInteger> sequences = sequencesOfWrittenRecords(local, stream);
            String shardId = onlyShard(local, stream);
            // key3's blocked record and those queued behind it fill the window: processRecords waits for room.
            await().atMost(Duration.ofSeconds(60)).until(() -> gauge(registry, EngineMetrics.PARALLEL_IN_FLIGHT, shardId)
                    == window && keysWaiting(registry, shardId) == 1);

            // The stop request ends the wait for room; the drain gives up on the blocked record after 1 s.
            assertThat(a.shutdown(Duration.ofSeconds(20))).as("stopped without being abandoned").isTrue();
            List<Delivery> byA = List.copyOf(deliveries);
            BigInteger poison = sequences.get("p-key3-2");
            BigInteger before = sequences.values().stream().filter(seq -> seq.compareTo(poison) < 0)
                    .max(Comparator.naturalOrder()).orElseThrow();
            ExtendedSequenceNumber stored = checkpointOf(table, shardId);
            assertThat(stored).isEqualTo(ExtendedSequenceNumber.of(before.toString()));
            assertThat(table.listLeases()).filteredOn(lease -> lease.leaseKey().equals(shardId))
                    .extracting(Lease::leaseOwner).as("released").containsOnlyNulls();

            Worker b = fixture.start(application, stream, "worker-b", second, builder -> {
            });
            List<String> expectedOnB = sequences.entrySet().stream()
                    .filter(entry -> entry.getValue().compareTo(poison) >= 0).map(Map.Entry::getKey).toList();
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveriesBy("worker-b").size() >= expectedOnB.size());
            assertThat(b.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(deliveriesBy("worker-b")).extracting(Delivery::payload)
                    .containsExactlyInAnyOrderElementsOf(expectedOnB);
            assertThat(byA).extracting(Delivery::payload).doesNotContain("p-key3-2");
            sequences.forEach((payload, seq) -> {
                if (seq.compareTo(poison) < 0) {
                    assertThat(byA).extracting(Delivery::payload).as("done on A before the checkpoint").contains(payload);
                }
            });
            assertThat(written).hasSize(200);
        }
    }

    @Test
    void kplUserRecordsCountOneByOneAndTheCheckpointStopsInsideTheAggregateBeforeAnUnfinishedOne(LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        KplAggregate aggregate = KplAggregate.builder().add("a", "a-0").add("b", "b-0").add("c", "c-0")
                .add("a", "a-1").add("b", "b-1").add("c", "c-1").build();
        String aggregateSequence = local.kinesisClient().putRecord(request -> request.streamName(stream)
                .partitionKey(aggregate.partitionKey()).data(SdkBytes.fromByteArray(aggregate.bytes())))
                .sequenceNumber();
        local.kinesisClient().putRecord(request -> request.streamName(stream).partitionKey("a")
                .data(SdkBytes.fromString("a-2", StandardCharsets.UTF_8)));
        CountDownLatch never = gate();
        // b-1 (user record 4) never finishes on A; a-1, c-1 and the plain a-2 after it do.
        RecordHandler blocking = record -> {
            if (payload(record).equals("b-1")) {
                never.await();
            }
        };
        KeyOrderedProcessorFactory first = KeyOrderedProcessorFactory.builder().concurrency(3)
                .checkpointInterval(Duration.ofMillis(50)).shutdownTimeout(Duration.ofMillis(500))
                .handler(logging("worker-a", blocking)).build();
        KeyOrderedProcessorFactory second = KeyOrderedProcessorFactory.builder().concurrency(3)
                .handler(logging("worker-b", record -> {
                })).build();
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        String shardId = onlyShard(local, stream);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker a = fixture.start(application, stream, "worker-a", first, builder -> {
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() >= 6);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> checkpointOf(table, shardId).equals(ExtendedSequenceNumber.of(aggregateSequence, 3)));
            assertThat(a.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(checkpointOf(table, shardId)).isEqualTo(ExtendedSequenceNumber.of(aggregateSequence, 3));
            assertThat(deliveries).extracting(Delivery::payload)
                    .containsExactlyInAnyOrder("a-0", "b-0", "c-0", "a-1", "c-1", "a-2");

            fixture.start(application, stream, "worker-b", second, builder -> {
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveriesBy("worker-b").size() >= 3);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> deliveriesBy("worker-b").size() == 3);
            assertThat(deliveriesBy("worker-b")).extracting(Delivery::payload)
                    .containsExactlyInAnyOrder("b-1", "c-1", "a-2");
        }
    }

    @Test
    void aHandlerGivingUpOnARecordStopsItsKeyWithoutRetryAndTheNextOwnerStartsThere(LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        AtomicInteger attempts = new AtomicInteger();
        RecordHandler givingUp = record -> {
            if (payload(record).equals("p-key3-2")) {
                attempts.incrementAndGet();
                throw new RecordNotDoneException("stopping");
            }
        };
        KeyOrderedProcessorFactory first = KeyOrderedProcessorFactory.builder().concurrency(4)
                .checkpointInterval(Duration.ofMillis(50)).handler(logging("worker-a", givingUp)).build();
        KeyOrderedProcessorFactory second = KeyOrderedProcessorFactory.builder().concurrency(4)
                .handler(logging("worker-b", record -> {
                })).build();
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker a = fixture.start(application, stream, "worker-a", first, builder -> builder.maxRecords(30));
            List<String> written = TestStreams.put(local, stream, "p", 100, 10);
            Map<String, BigInteger> sequences = sequencesOfWrittenRecords(local, stream);
            String shardId = onlyShard(local, stream);
            BigInteger stopped = sequences.get("p-key3-2");
            BigInteger before = sequences.values().stream().filter(seq -> seq.compareTo(stopped) < 0)
                    .max(Comparator.naturalOrder()).orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= written.size() - 8);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> checkpointOf(table, shardId).equals(ExtendedSequenceNumber.of(before.toString())));
            assertThat(a.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(attempts.get()).as("not retried").isEqualTo(1);
            assertThat(deliveries).extracting(Delivery::payload).hasSize(written.size() - 8)
                    .doesNotContain("p-key3-2", "p-key3-3", "p-key3-9");

            fixture.start(application, stream, "worker-b", second, builder -> {
            });
            List<String> expectedOnB = sequences.entrySet().stream()
                    .filter(entry -> entry.getValue().compareTo(stopped) >= 0).map(Map.Entry::getKey).toList();
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveriesBy("worker-b").size() >= expectedOnB.size());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> deliveriesBy("worker-b").size() == expectedOnB.size());
            assertThat(deliveriesBy("worker-b")).extracting(Delivery::payload)
                    .containsExactlyInAnyOrderElementsOf(expectedOnB);
            assertInShardOrderPerKey(List.copyOf(deliveries));
        }
    }

    @Test
    void aHandlerThatFailsTheShardRestartsItFromTheWatermark(LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        AtomicInteger failures = new AtomicInteger();
        RecordHandler failingOnce = record -> {
            if (payload(record).equals("p-key2-3") && failures.getAndIncrement() == 0) {
                throw new ShardFailedException("the backend is gone");
            }
        };
        KeyOrderedProcessorFactory factory = KeyOrderedProcessorFactory.builder().concurrency(3)
                .checkpointInterval(Duration.ofMillis(50)).handler(logging("worker-a", failingOnce)).build();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", logShutdowns(factory), builder -> builder
                    .maxRecords(20).consumerFailureBackoff(Duration.ofMillis(200), Duration.ofMillis(500)));
            List<String> written = new ArrayList<>(TestStreams.put(local, stream, "p", 60, 6));
            String shardId = onlyShard(local, stream);
            await().atMost(Duration.ofSeconds(30)).until(() -> failures.get() == 1);
            // The failure ends the tenure at the next batch: more records arrive.
            written.addAll(TestStreams.put(local, stream, "q", 12, 6));
            await().atMost(Duration.ofSeconds(60)).until(() -> countsPerPayload().keySet().containsAll(written));
            assertThat(worker.shutdown(Duration.ofSeconds(10))).isTrue();

            Map<String, Long> counts = countsPerPayload();
            assertThat(counts).containsOnlyKeys(written);
            assertThat(counts.get("p-key2-3")).as("the failed record, done once after the restart").isEqualTo(1);
            assertThat(failures.get()).as("attempts at the failed record").isEqualTo(2);
            // The restart redoes what the watermark did not cover, at most once more.
            assertThat(counts.values()).allMatch(count -> count == 1 || count == 2);
            assertThat(events).filteredOn(event -> event.startsWith("ZOMBIE " + shardId)).hasSize(1);
        }
    }

    @Test
    void aSplitParentFinishesEveryRecordAndCheckpointsShardEndBeforeItsChildrenStart(LocalKinesis local) {
        String stream = stream(local, 1);
        String application = LocalKinesis.uniqueName("app");
        RecordHandler slow = record -> Thread.sleep(3);
        KeyOrderedProcessorFactory factory = KeyOrderedProcessorFactory.builder().concurrency(4)
                .checkpointInterval(Duration.ofMillis(100)).handler(logging("worker-a", slow)).build();
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", logShutdowns(factory),
                    builder -> builder.maxRecords(30).shardSyncInterval(Duration.ofMillis(500))
                            .leaseCleanupInterval(Duration.ofHours(1)));
            List<String> written = new ArrayList<>(TestStreams.put(local, stream, "g0", 120, 12));
            String parent = onlyShard(local, stream);
            split(local, stream, parent);
            written.addAll(TestStreams.put(local, stream, "g1", 120, 12));

            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= written.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> checkpointOf(table, parent).isShardEnd());
            assertThat(worker.shutdown(Duration.ofSeconds(10))).isTrue();

            assertThat(countsPerPayload()).containsOnlyKeys(written).allSatisfy((payload, count) ->
                    assertThat(count).as(payload).isEqualTo(1));
            assertInShardOrderPerKey(List.copyOf(deliveries));
            // Per key across the split: every g0 record before any g1 record of the key.
            List<String> done = events.stream().filter(event -> event.startsWith("done ")).toList();
            assertPerKeyWriteOrder(done.stream().map(event -> event.substring(5)).toList(), written);
            // Every record of the parent finished before any record of a child started (and so finished).
            List<String> timeline = List.copyOf(events);
            int lastOfParent = -1;
            int firstOfChildren = timeline.size();
            for (int i = 0; i < timeline.size(); i++) {
                if (timeline.get(i).startsWith("done g0-")) {
                    lastOfParent = i;
                }
                else if (timeline.get(i).startsWith("done ") && i < firstOfChildren) {
                    firstOfChildren = i;
                }
            }
            assertThat(lastOfParent).isLessThan(firstOfChildren);
            assertThat(events).filteredOn(event -> event.equals("TERMINATE " + parent + " SHARD_END")).hasSize(1);
            assertThat(deliveries).filteredOn(delivery -> delivery.shardId().equals(parent))
                    .extracting(Delivery::payload).allMatch(payload -> payload.startsWith("g0-"));
        }
    }

    // --- helpers ---

    private String stream(LocalKinesis local, int shards) {
        emulators = local;
        String stream = local.createStream(shards);
        streams.add(stream);
        return stream;
    }

    private CountDownLatch gate() {
        CountDownLatch latch = new CountDownLatch(1);
        gates.add(latch);
        return latch;
    }

    /** The handler, logging each record it finished (returned from) with the worker's name. */
    private RecordHandler logging(String worker, RecordHandler handler) {
        return record -> {
            handler.handle(record);
            String payload = payload(record);
            deliveries.add(new Delivery(worker, record.shardId(), record.partitionKey(), payload,
                    new BigInteger(record.sequenceNumber())));
            events.add("done " + payload);
        };
    }

    /** The factory's processors, logging their shutdowns (after the processor's own, so after SHARD_END). */
    private dev.kclboot.core.processor.RecordProcessorFactory logShutdowns(KeyOrderedProcessorFactory factory) {
        return streamName -> {
            RecordProcessor delegate = factory.create(streamName);
            return new RecordProcessor() {

                private String shardId = "?";

                @Override
                public void initialize(String shardId, ExtendedSequenceNumber checkpoint) {
                    this.shardId = shardId;
                    delegate.initialize(shardId, checkpoint);
                }

                @Override
                public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer,
                        @Nullable Long millisBehindLatest) {
                    delegate.processRecords(records, checkpointer, millisBehindLatest);
                }

                @Override
                public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
                    delegate.shutdown(checkpointer, reason);
                    events.add(reason + " " + shardId + (checkpointer.lastCheckpoint().isShardEnd() ? " SHARD_END" : ""));
                }
            };
        };
    }

    private List<Delivery> deliveriesBy(String worker) {
        return deliveries.stream().filter(delivery -> delivery.worker().equals(worker)).toList();
    }

    private Map<String, Long> countsPerPayload() {
        return deliveries.stream().collect(Collectors.groupingBy(Delivery::payload, Collectors.counting()));
    }

    private Map<String, BigInteger> lastSequencePerShard() {
        return deliveries.stream().collect(Collectors.toMap(Delivery::shardId, Delivery::sequence,
                (one, other) -> one.max(other)));
    }

    /** Within each worker, the records of a key finished in shard order (sequence numbers increasing). */
    private static void assertInShardOrderPerKey(List<Delivery> delivered) {
        Map<String, BigInteger> lastSeen = new HashMap<>();
        for (Delivery delivery : delivered) {
            BigInteger previous = lastSeen.put(delivery.worker() + "/" + delivery.key(), delivery.sequence());
            assertThat(previous == null || previous.compareTo(delivery.sequence()) < 0)
                    .as("%s finished after a later record of key %s on %s", delivery.payload(), delivery.key(),
                            delivery.worker())
                    .isTrue();
        }
    }

    /** For every partition key, records finished in the order they were written. */
    private static void assertPerKeyWriteOrder(List<String> delivered, List<String> written) {
        Map<String, Integer> writeIndex = new HashMap<>();
        for (int i = 0; i < written.size(); i++) {
            writeIndex.put(written.get(i), i);
        }
        Map<String, Integer> lastSeen = new HashMap<>();
        for (String payload : delivered) {
            String key = payload.split("-")[1];
            int index = writeIndex.get(payload);
            Integer previous = lastSeen.put(key, index);
            assertThat(previous == null || previous < index)
                    .as("%s finished after a later record of the same key", payload).isTrue();
        }
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String shardId) {
        Gauge gauge = registry.find(name).tag("shard", shardId).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static double keysWaiting(SimpleMeterRegistry registry, String shardId) {
        return gauge(registry, EngineMetrics.PARALLEL_KEYS_WAITING, shardId);
    }

    private static String payload(KinesisRecord record) {
        return new String(record.dataBytes(), StandardCharsets.UTF_8);
    }

    private static ExtendedSequenceNumber checkpointOf(DynamoDbLeaseTable table, String shardId) {
        return table.listLeases().stream().filter(lease -> lease.leaseKey().equals(shardId)).map(Lease::checkpoint)
                .findFirst().orElse(ExtendedSequenceNumber.TRIM_HORIZON);
    }

    private static String onlyShard(LocalKinesis local, String stream) {
        return local.kinesisClient().listShards(request -> request.streamName(stream)).shards().get(0).shardId();
    }

    /** The sequence number of every record of a one-shard stream, by payload (read from the stream). */
    private static Map<String, BigInteger> sequencesOfWrittenRecords(LocalKinesis local, String stream) {
        String shardId = onlyShard(local, stream);
        String iterator = local.kinesisClient().getShardIterator(request -> request.streamName(stream)
                .shardId(shardId).shardIteratorType("TRIM_HORIZON")).shardIterator();
        Map<String, BigInteger> sequences = new HashMap<>();
        for (int i = 0; i < 20 && iterator != null; i++) {
            String current = iterator;
            var response = local.kinesisClient().getRecords(request -> request.shardIterator(current));
            response.records().forEach(record -> sequences.put(record.data().asUtf8String(),
                    new BigInteger(record.sequenceNumber())));
            if (response.records().isEmpty()) {
                break;
            }
            iterator = response.nextShardIterator();
        }
        return sequences;
    }

    private static void split(LocalKinesis local, String stream, String shardId) {
        Shard shard = local.kinesisClient().listShards(request -> request.streamName(stream)).shards().stream()
                .filter(candidate -> candidate.shardId().equals(shardId)).findFirst().orElseThrow();
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        String middle = start.add(end).shiftRight(1).toString();
        local.kinesisClient().splitShard(request -> request.streamName(stream).shardToSplit(shardId)
                .newStartingHashKey(middle));
        local.awaitStreamActive(stream, Duration.ofSeconds(30));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }


    /** The key group of a payload {@code p-<key>-<n>}: its partition key's hash, as the batch handler groups them. */
    private static int groupOf(String payload, int groups) {
        return Math.floorMod(payload.split("-")[1].hashCode(), groups);
    }
}
