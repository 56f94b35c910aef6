package dev.kclboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the processor works on a batch, exactly one next batch is read ahead: not zero (the shard would stall for a
 * read after every batch) and not more (memory stays bounded).
 */
@EmbeddedKinesis
class PrefetchIT {

    @Test
    void readsExactlyOneBatchAheadWhileTheProcessorIsBusy(LocalKinesis local) throws Exception {
        String stream = local.createStream(1);
        List<String> written = TestStreams.put(local, stream, "x", 20, 1);
        AtomicInteger reads = new AtomicInteger();
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetRecordsRequest) {
                    reads.incrementAndGet();
                }
            }
        };
        KinesisClient kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(counting)).build();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger delivered = new AtomicInteger();
        RecordProcessor blockingOnFirstBatch = new RecordProcessor() {
            @Override
            public void initialize(String shardId) {
            }

            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                if (delivered.getAndAdd(records.size()) == 0) {
                    busy.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
                checkpointer.checkpoint();
            }

            @Override
            public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
            }
        };
        Worker worker = Worker.builder().applicationName(LocalKinesis.uniqueName("app")).stream(stream)
                .kinesisClient(kinesis).dynamoDbClient(local.dynamoDbClient())
                .recordProcessorFactory(name -> blockingOnFirstBatch).initialPosition(InitialPosition.trimHorizon())
                .maxRecords(5).idleTimeBetweenReads(Duration.ofMillis(50)).build();
        try {
            worker.start();
            assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
            // The processor holds the first batch (read by the first call): one read ahead happens, and no more.
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() == 2);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> reads.get() == 2);
            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() >= written.size());
            assertThat(delivered.get()).isEqualTo(written.size());
        }
        finally {
            worker.shutdown(Duration.ofSeconds(10));
            kinesis.close();
        }
    }
}
