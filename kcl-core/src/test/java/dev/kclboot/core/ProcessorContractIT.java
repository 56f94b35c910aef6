package dev.kclboot.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseLostException;
import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EmbeddedKinesis
class ProcessorContractIT {

    @Test
    void aProcessorThatThrowsTwiceSeesTheSameBatchThreeTimesAndNothingIsLost(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        List<String> written = TestStreams.put(local, stream, "x", 20, 2);
        Queue<List<String>> deliveries = new ConcurrentLinkedQueue<>();
        AtomicInteger calls = new AtomicInteger();
        RecordProcessor flaky = new TestProcessor() {
            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                deliveries.add(records.stream().map(KinesisRecord::sequenceNumber).toList());
                if (calls.incrementAndGet() <= 2) {
                    throw new IllegalStateException("boom " + calls.get());
                }
                checkpointer.checkpoint();
            }
        };
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> flaky, builder -> {
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() >= 3);
            List<List<String>> firstThree = new ArrayList<>(deliveries).subList(0, 3);
            assertThat(firstThree.get(0)).hasSize(written.size());
            assertThat(firstThree.get(1)).isEqualTo(firstThree.get(0));
            assertThat(firstThree.get(2)).isEqualTo(firstThree.get(0));
            await().atMost(Duration.ofSeconds(10)).until(() -> !checkpointOf(local, application).isSentinel());
            assertThat(checkpointOf(local, application).sequenceNumber())
                    .isEqualTo(firstThree.get(0).get(written.size() - 1));
        }
    }

    @Test
    void aProcessorThatFailsToInitializeIsTriedAgainAfterItsLeaseIsReleasedAndRetaken(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        List<String> written = TestStreams.put(local, stream, "x", 10, 1);
        AtomicInteger initializations = new AtomicInteger();
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> new TestProcessor() {
                @Override
                public void initialize(String shardId) {
                    if (initializations.incrementAndGet() == 1) {
                        throw new IllegalStateException("not ready yet");
                    }
                }

                @Override
                public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                    records.forEach(record -> seen.add(new String(record.dataBytes(), StandardCharsets.UTF_8)));
                }
            }, builder -> {
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(written));
        }
        assertThat(initializations.get()).isGreaterThanOrEqualTo(2);
        assertThat(seen).containsExactlyElementsOf(written);
    }

    @Test
    void skipFailedBatchesRestoresTheKclBehaviour(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        TestStreams.put(local, stream, "bad", 5, 1);
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        RecordProcessor failsOnBad = new TestProcessor() {
            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                records.forEach(record -> seen.add(new String(record.dataBytes(), StandardCharsets.UTF_8)));
                if (records.stream()
                        .anyMatch(record -> new String(record.dataBytes(), StandardCharsets.UTF_8).startsWith("bad"))) {
                    throw new IllegalStateException("cannot process bad records");
                }
            }
        };
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> failsOnBad, builder -> builder.skipFailedBatches(true));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(payload -> payload.startsWith("bad")));
            List<String> good = TestStreams.put(local, stream, "good", 5, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(good));
            assertThat(seen.stream().filter(payload -> payload.startsWith("bad")).count()).isEqualTo(5);
        }
    }

    @Test
    void checkpointsBelowTheStoredOrAboveTheLastDeliveredRecordAreRejected(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        TestStreams.put(local, stream, "x", 10, 1);
        Queue<String> outcomes = new ConcurrentLinkedQueue<>();
        RecordProcessor validating = new TestProcessor() {
            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                String first = records.get(0).sequenceNumber();
                String last = records.get(records.size() - 1).sequenceNumber();
                checkpointer.checkpoint(last);
                outcomes.add("last ok");
                outcomes.add(attempt(() -> checkpointer.checkpoint(first)));
                outcomes.add(attempt(() -> checkpointer.checkpoint(new BigInteger(last).add(BigInteger.ONE).toString())));
                outcomes.add(attempt(() -> checkpointer.checkpoint("not-a-number")));
                outcomes.add(attempt(() -> checkpointer.checkpoint(last, -1)));
            }
        };
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> validating, builder -> {
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() >= 5);
        }
        assertThat(new ArrayList<>(outcomes).subList(0, 5)).containsExactly("last ok",
                "IllegalArgumentException", "IllegalArgumentException", "IllegalArgumentException",
                "IllegalArgumentException");
    }

    @Test
    void aLostLeaseStopsDeliveryShutsTheProcessorDownAsZombieAndRefusesItsCheckpoints(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        Queue<String> events = new ConcurrentLinkedQueue<>();
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        RecordProcessor recording = new TestProcessor() {
            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                records.forEach(record -> delivered.add(new String(record.dataBytes(), StandardCharsets.UTF_8)));
            }

            @Override
            public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
                events.add(reason.name());
                events.add(attempt(checkpointer::checkpoint));
            }
        };
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", name -> recording,
                    builder -> builder.failoverTime(Duration.ofSeconds(30)));
            List<String> before = TestStreams.put(local, stream, "before", 5, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.containsAll(before));

            LeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
            stealFromWorker(table, "shardId-000000000000", "intruder");

            await().atMost(Duration.ofSeconds(30)).until(() -> events.contains("ZOMBIE"));
            assertThat(events).containsExactly("ZOMBIE", "ShutdownException");
            assertThat(worker.leases()).isEmpty();
            List<String> after = TestStreams.put(local, stream, "after", 5, 1);
            // The intruder holds the lease (and the failover time is 30 s): nothing more reaches this worker.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> delivered.stream().noneMatch(after::contains));
        }
    }

    private static void stealFromWorker(LeaseTable table, String leaseKey, String intruder) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Lease lease = table.getLease(leaseKey).orElseThrow();
            try {
                table.take(lease, intruder);
                return true;
            }
            catch (LeaseLostException ex) {
                return false; // renewed in between; try again
            }
        });
    }

    private static dev.kclboot.core.record.ExtendedSequenceNumber checkpointOf(LocalKinesis local, String table) {
        return new DynamoDbLeaseTable(local.dynamoDbClient(), table).getLease("shardId-000000000000").orElseThrow().checkpoint();
    }

    private static String attempt(Runnable action) {
        try {
            action.run();
            return "ok";
        }
        catch (RuntimeException ex) {
            return ex.getClass().getSimpleName();
        }
    }

    @Test
    void aShardFailedExceptionEndsTheTenureAndANewProcessorRestartsFromTheCheckpoint(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        List<String> first = TestStreams.put(local, stream, "a", 5, 1);
        Queue<String> events = new ConcurrentLinkedQueue<>();
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger processors = new AtomicInteger();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", name -> new TestProcessor() {

                private final int number = processors.incrementAndGet();

                @Override
                public void initialize(String shardId, ExtendedSequenceNumber checkpoint) {
                    events.add(number + " initialize " + checkpoint);
                }

                @Override
                public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer,
                        Long millisBehindLatest) {
                    records.forEach(record -> seen.add(new String(record.dataBytes(), StandardCharsets.UTF_8)));
                    checkpointer.checkpoint();
                    if (number == 1) {
                        throw new dev.kclboot.core.processor.ShardFailedException("backing process died (test)");
                    }
                }

                @Override
                public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
                    events.add(number + " shutdown " + reason);
                }
            }, builder -> builder.consumerFailureBackoff(Duration.ofMillis(200), Duration.ofMillis(400)));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= first.size());
            List<String> second = TestStreams.put(local, stream, "b", 5, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= first.size() + second.size());
            assertThat(List.copyOf(seen)).containsExactlyElementsOf(concat(first, second));
            assertThat(events).startsWith("1 initialize TRIM_HORIZON", "1 shutdown ZOMBIE");
            assertThat(events).anyMatch(event -> event.startsWith("2 initialize ") && !event.endsWith("TRIM_HORIZON"));
            assertThat(worker.shardFailures()).as("the new processor made progress").isEmpty();
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Does nothing unless overridden. */
    private abstract static class TestProcessor implements RecordProcessor {

        @Override
        public void initialize(String shardId) {
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        }
    }
}
