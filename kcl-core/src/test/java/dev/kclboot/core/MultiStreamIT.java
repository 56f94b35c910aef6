package dev.kclboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EmbeddedKinesis
class MultiStreamIT {

    @Test
    void oneWorkerConsumesTwoStreamsInOneLeaseTableAndPausesOneOfThem(LocalKinesis local) {
        String orders = local.createStream(2);
        String payments = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        Map<String, Queue<String>> byStream = new ConcurrentHashMap<>();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, orders, "worker-a", stream -> new Collecting(
                    byStream.computeIfAbsent(stream, key -> new ConcurrentLinkedQueue<>())),
                    builder -> builder.streams(List.of(orders, payments)));
            List<String> orderPayloads = TestStreams.put(local, orders, "order", 20, 4);
            List<String> paymentPayloads = TestStreams.put(local, payments, "payment", 10, 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> byStream.containsKey(orders) && byStream.containsKey(payments)
                    && byStream.get(orders).containsAll(orderPayloads) && byStream.get(payments).containsAll(paymentPayloads));
            assertThat(byStream.get(orders)).doesNotContainAnyElementsOf(paymentPayloads);

            List<Lease> leases = new DynamoDbLeaseTable(local.dynamoDbClient(), application).listLeases();
            assertThat(leases).extracting(Lease::leaseKey).containsExactlyInAnyOrder(orders + ":shardId-000000000000",
                    orders + ":shardId-000000000001", payments + ":shardId-000000000000");

            worker.pause(payments);
            assertThat(worker.isPaused(payments)).isTrue();
            List<String> whilePaused = TestStreams.put(local, payments, "paused", 5, 1);
            List<String> moreOrders = TestStreams.put(local, orders, "more", 5, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> byStream.get(orders).containsAll(moreOrders));
            assertThat(byStream.get(payments)).doesNotContainAnyElementsOf(whilePaused);
            worker.resume(payments);
            await().atMost(Duration.ofSeconds(30)).until(() -> byStream.get(payments).containsAll(whilePaused));

            // Stopping a stream releases its leases (a pause keeps them); the other stream goes on.
            LeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
            String paymentsLease = payments + ":shardId-000000000000";
            worker.stopStream(payments);
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.leases().stream()
                    .noneMatch(lease -> lease.leaseKey().equals(paymentsLease))
                    && table.getLease(paymentsLease).orElseThrow().isFree());
            List<String> whileStopped = TestStreams.put(local, payments, "stopped", 5, 1);
            List<String> stillFlowing = TestStreams.put(local, orders, "flowing", 5, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> byStream.get(orders).containsAll(stillFlowing));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> table.getLease(paymentsLease).orElseThrow().isFree());
            assertThat(byStream.get(payments)).doesNotContainAnyElementsOf(whileStopped);
            worker.startStream(payments);
            await().atMost(Duration.ofSeconds(30)).until(() -> byStream.get(payments).containsAll(whileStopped));
        }
    }

    private static final class Collecting implements RecordProcessor {

        private final Queue<String> sink;

        Collecting(Queue<String> sink) {
            this.sink = sink;
        }

        @Override
        public void initialize(String shardId) {
        }

        @Override
        public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
            records.forEach(record -> sink.add(new String(record.dataBytes(), StandardCharsets.UTF_8)));
            checkpointer.checkpoint();
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        }
    }
}
