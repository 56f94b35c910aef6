package dev.kclboot.core;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.checkpoint.ShutdownException;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A processor that does not finish within the shutdown timeout: the worker reports STOPPED and the shutdown false,
 * the processor's call is interrupted, nothing is called on it afterwards, and its late checkpoint is refused, so the
 * next owner delivers the batch again.
 */
@EmbeddedKinesis
class ShutdownTimeoutIT {

    @Test
    void aStuckProcessorIsAbandonedAndCanNoLongerCheckpoint(LocalKinesis local) throws Exception {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        TestStreams.put(local, stream, "x", 5, 1);
        CountDownLatch busy = new CountDownLatch(1);
        Queue<String> calls = new ConcurrentLinkedQueue<>();
        RecordProcessor stuck = new RecordProcessor() {
            @Override
            public void initialize(String shardId) {
                calls.add("initialize");
            }

            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                calls.add("processRecords");
                busy.countDown();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                boolean interrupted = false;
                while (System.nanoTime() < until) {
                    try {
                        Thread.sleep(50);
                    }
                    catch (InterruptedException ex) {
                        interrupted = true; // Ignores it on purpose, as stuck code does.
                    }
                }
                calls.add(interrupted ? "interrupted" : "not interrupted");
                try {
                    checkpointer.checkpoint();
                    calls.add("checkpointed");
                }
                catch (ShutdownException ex) {
                    calls.add("checkpoint refused");
                }
            }

            @Override
            public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
                calls.add("shutdown " + reason);
            }
        };
        Worker worker = Worker.builder().applicationName(application).stream(stream).workerId("stuck")
                .kinesisClient(local.kinesisClient()).dynamoDbClient(local.dynamoDbClient())
                .recordProcessorFactory(name -> stuck)
                .initialPosition(dev.kclboot.core.stream.InitialPosition.trimHorizon()).build();
        worker.start();
        assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(worker.shutdown(Duration.ofMillis(500))).isFalse();
        assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);

        await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("checkpoint refused")
                || calls.contains("checkpointed"));
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(calls).containsExactly("initialize", "processRecords", "interrupted", "checkpoint refused");
        // Not released: a peer takes it after the failover time and delivers the batch again from TRIM_HORIZON.
        assertThat(new DynamoDbLeaseTable(local.dynamoDbClient(), application).getLease("shardId-000000000000")
                .orElseThrow()).satisfies(lease -> {
                    assertThat(lease.leaseOwner()).isEqualTo("stuck");
                    assertThat(lease.checkpoint()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
                });
    }
}
