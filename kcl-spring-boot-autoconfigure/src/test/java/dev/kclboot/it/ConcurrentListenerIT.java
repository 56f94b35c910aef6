package dev.kclboot.it;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.spring.listener.ShardStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @KinesisListener(concurrency)} on the emulators: a slow record listener gets the records of many keys at
 * once yet each key in shard order and each record once; a poison record blocks its own key only, keeps the
 * checkpoint just before it and shows the shard as failing in health; a batch listener gets key groups at once (even
 * with batches larger than its window), each key in order, across a split and a merge (three generations), the
 * parents ending at SHARD_END.
 */
@SpringBootTest(classes = ConcurrentListenerIT.App.class, properties = { "kcl.shard-sync-interval=1s",
        "kcl.checkpoint.mode=RECORD" })
class ConcurrentListenerIT extends ListenerIntegrationTest {

    static final StreamFixture slow = new StreamFixture(2);

    static final StreamFixture poisoned = new StreamFixture(1);

    static final StreamFixture resharded = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("test.slow.stream", () -> slow.stream);
        registry.add("test.slow.app", () -> slow.application);
        registry.add("test.poisoned.stream", () -> poisoned.stream);
        registry.add("test.poisoned.app", () -> poisoned.application);
        registry.add("test.resharded.stream", () -> resharded.stream);
        registry.add("test.resharded.app", () -> resharded.application);
    }

    @Autowired
    Listeners listeners;

    @Autowired
    KinesisListenerEndpointRegistry registry;

    @Autowired
    MeterRegistry meters;

    @Test
    void aSlowListenerRunsManyKeysAtOnceEachKeyInShardOrderEachRecordOnce() {
        List<PutRecordResponse> written = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String payload = "slow-" + (i % 20) + "-" + i;
            written.add(slow.put("key-" + (i % 20), payload));
            payloads.add(payload);
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> listeners.slow.size() >= 300);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> slow.lastSequencePerShard()
                .forEach((shard, last) -> assertThat(slow.checkpointOf(shard)).as(shard).isEqualTo(last)));

        assertThat(listeners.slow).hasSize(300);
        assertThat(listeners.slow.stream().map(KinesisRecord::sequenceNumber).sorted().toList())
                .as("every record exactly once").isEqualTo(written.stream().map(PutRecordResponse::sequenceNumber)
                        .sorted().toList());
        assertInWriteOrderPerKey(listeners.slow, payloads);
        // Several keys of one shard were in the listener at once, never more than the concurrency.
        assertThat(listeners.slowMaxInFlight.values()).hasSize(2)
                .allSatisfy(max -> assertThat(max.get()).isBetween(2, 5));
        // The engine's per-shard gauges of the key-ordered dispatch, tagged like its other meters.
        assertThat(meters.find(EngineMetrics.PARALLEL_IN_FLIGHT).tag("application", slow.application).gauges())
                .hasSize(2);
        assertThat(meters.find(EngineMetrics.PARALLEL_WATERMARK_LAG).tag("application", slow.application).gauges())
                .hasSize(2);
    }

    @Test
    void aPoisonRecordBlocksOnlyItsKeyAndTheCheckpointStaysJustBeforeIt() {
        List<PutRecordResponse> written = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String payload = "p-" + (i % 6) + "-" + i;
            written.add(poisoned.put("key-" + (i % 6), payload));
            payloads.add(payload);
        }
        // key-3's records are 3, 9, 15, ...; the third of them (15) always fails: 21, 27, ... wait behind it.
        String poison = "p-3-15";
        List<String> expected = payloads.stream()
                .filter(payload -> !payload.startsWith("p-3-") || Integer.parseInt(payload.substring(4)) < 15)
                .toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> listeners.poisoned.size() >= expected.size()
                && listeners.poisonAttempts.get() >= 3);
        String beforePoison = written.get(payloads.indexOf(poison) - 1).sequenceNumber();
        String shard = written.get(0).shardId();
        await().atMost(Duration.ofSeconds(30)).until(() -> beforePoison.equals(poisoned.checkpointOf(shard)));

        ShardStatus status = registry.getListenerContainer("poisoned").getShardStatuses().get(0);
        assertThat(status.sequenceNumber()).isEqualTo(poisoned.sequenceOf(poison));
        assertThat(status.failingSince()).isNotNull();
        assertThat(status.lastFailure()).contains("poison p-3-15");
        assertThat(listeners.poisoned.stream().map(KinesisRecord::sequenceNumber).toList())
                .as("each record but the blocked key's later ones, exactly once").hasSize(expected.size())
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(poisoned::sequenceOf).toList());
        assertInWriteOrderPerKey(listeners.poisoned, payloads);
        assertThat(poisoned.checkpointOf(shard)).isEqualTo(beforePoison);
    }

    @Test
    void aBatchListenerGetsKeyGroupsInOrderAcrossASplitAndAMerge() {
        List<String> payloads = new ArrayList<>();
        writeGeneration(payloads, "g0");
        await().atMost(Duration.ofSeconds(60)).until(() -> listeners.batchRecords().size() >= payloads.size());

        Shard parent = open().get(0);
        BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
        resharded.local.kinesisClient().splitShard(request -> request.streamName(resharded.stream)
                .shardToSplit(parent.shardId()).newStartingHashKey(start.add(end).shiftRight(1).toString()));
        resharded.local.awaitStreamActive(resharded.stream, Duration.ofSeconds(30));
        writeGeneration(payloads, "g1");
        await().atMost(Duration.ofSeconds(90)).until(() -> listeners.batchRecords().size() >= payloads.size());

        List<Shard> children = open();
        assertThat(children).hasSize(2);
        resharded.local.kinesisClient().mergeShards(request -> request.streamName(resharded.stream)
                .shardToMerge(children.get(0).shardId()).adjacentShardToMerge(children.get(1).shardId()));
        resharded.local.awaitStreamActive(resharded.stream, Duration.ofSeconds(30));
        writeGeneration(payloads, "g2");
        await().atMost(Duration.ofSeconds(90)).until(() -> listeners.batchRecords().size() >= payloads.size());
        String merged = open().get(0).shardId();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> checkpoints = resharded.checkpoints();
            // Finished parents are at SHARD_END or already cleaned up (once every child started).
            assertThat(checkpoints.getOrDefault(parent.shardId(), "SHARD_END")).isEqualTo("SHARD_END");
            children.forEach(child -> assertThat(checkpoints.getOrDefault(child.shardId(), "SHARD_END"))
                    .isEqualTo("SHARD_END"));
            assertThat(checkpoints.get(merged)).isEqualTo(resharded.lastSequencePerShard().get(merged));
        });

        List<KinesisRecord> delivered = listeners.batchRecords();
        assertThat(delivered).as("each record exactly once").hasSize(payloads.size());
        assertThat(delivered.stream().map(ConcurrentListenerIT::payload).sorted().toList())
                .isEqualTo(payloads.stream().sorted().toList());
        assertInWriteOrderPerKey(delivered, payloads);
        for (List<KinesisRecord> call : listeners.batches) {
            int group = groupOf(call.get(0));
            assertThat(call).as("one key group per call").allSatisfy(record -> assertThat(groupOf(record))
                    .isEqualTo(group));
        }
        // Batches larger than the window of 10 still run their key groups at once (admitted together), never more
        // than the concurrency.
        assertThat(listeners.batchMaxInFlight.values()).allSatisfy(max -> assertThat(max.get()).isBetween(1, 3));
        assertThat(listeners.batches).anyMatch(call -> call.size() > 10);
        assertThat(listeners.batchMaxInFlight.values()).anyMatch(max -> max.get() >= 2);
    }

    /**
     * 12 keys, 5 records each, written key by key in turn in one PutRecords call: the shard's reader gets them as one
     * batch of 60 (its group per key group larger than the window of 10) however fast it polls.
     */
    private static void writeGeneration(List<String> payloads, String generation) {
        Map<String, String> keysByPayload = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            String payload = generation + "-" + (i % 12) + "-" + i;
            keysByPayload.put(payload, "key-" + (i % 12));
            payloads.add(payload);
        }
        resharded.putAll(keysByPayload);
    }

    private static List<Shard> open() {
        return resharded.local.kinesisClient().listShards(request -> request.streamName(resharded.stream)).shards()
                .stream().filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null).toList();
    }

    /** The key group a record's partition key falls into (as kcl-core splits batches for 3 groups). */
    private static int groupOf(KinesisRecord record) {
        return Math.floorMod(record.partitionKey().hashCode(), 3);
    }

    private static String payload(KinesisRecord record) {
        return new String(record.dataBytes(), StandardCharsets.UTF_8);
    }

    /** Per partition key, the payloads arrived exactly in the order they were written. */
    private static void assertInWriteOrderPerKey(List<KinesisRecord> delivered, List<String> written) {
        Map<String, List<String>> arrived = delivered.stream().collect(Collectors.groupingBy(
                KinesisRecord::partitionKey, LinkedHashMap::new,
                Collectors.mapping(ConcurrentListenerIT::payload, Collectors.toList())));
        arrived.forEach((key, ofKey) -> {
            String id = key.substring("key-".length());
            List<String> expected = written.stream().filter(payload -> payload.split("-")[1].equals(id))
                    .limit(ofKey.size()).toList();
            assertThat(ofKey).as("order of %s", key).isEqualTo(expected);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Listeners listeners() {
            return new Listeners();
        }

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    static class Listeners {

        final List<KinesisRecord> slow = new CopyOnWriteArrayList<>();

        final Map<String, AtomicInteger> slowInFlight = new ConcurrentHashMap<>();

        final Map<String, AtomicInteger> slowMaxInFlight = new ConcurrentHashMap<>();

        final List<KinesisRecord> poisoned = new CopyOnWriteArrayList<>();

        final AtomicInteger poisonAttempts = new AtomicInteger();

        final List<List<KinesisRecord>> batches = new CopyOnWriteArrayList<>();

        final Map<String, AtomicInteger> batchInFlight = new ConcurrentHashMap<>();

        final Map<String, AtomicInteger> batchMaxInFlight = new ConcurrentHashMap<>();

        @KinesisListener(id = "slow", stream = "${test.slow.stream}", applicationName = "${test.slow.app}",
                concurrency = "5")
        void onSlow(KinesisRecord record) throws InterruptedException {
            AtomicInteger inFlight = slowInFlight.computeIfAbsent(record.shardId(), shard -> new AtomicInteger());
            int now = inFlight.incrementAndGet();
            slowMaxInFlight.computeIfAbsent(record.shardId(), shard -> new AtomicInteger())
                    .accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(20);
                slow.add(record);
            }
            finally {
                inFlight.decrementAndGet();
            }
        }

        @KinesisListener(id = "poisoned", stream = "${test.poisoned.stream}",
                applicationName = "${test.poisoned.app}", concurrency = "4")
        void onPoisoned(KinesisRecord record) {
            if (payload(record).equals("p-3-15")) {
                poisonAttempts.incrementAndGet();
                throw new IllegalStateException("poison p-3-15");
            }
            poisoned.add(record);
        }

        @KinesisListener(id = "resharded", stream = "${test.resharded.stream}",
                applicationName = "${test.resharded.app}", concurrency = "3", batch = "true", window = "10")
        void onBatch(List<KinesisRecord> records) throws InterruptedException {
            String shard = records.get(0).shardId();
            AtomicInteger inFlight = batchInFlight.computeIfAbsent(shard, ignored -> new AtomicInteger());
            batchMaxInFlight.computeIfAbsent(shard, ignored -> new AtomicInteger())
                    .accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
                batches.add(List.copyOf(records));
            }
            finally {
                inFlight.decrementAndGet();
            }
        }

        /** The records of every call, in the order the calls ended (so each key's in the order it got them). */
        List<KinesisRecord> batchRecords() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }
}
