package dev.kclboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import dev.kclboot.test.kpl.KplAggregate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Consumer;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.RegisterStreamConsumerRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Enhanced fan-out delivers what polling delivers: every record from TRIM_HORIZON, KPL user records with their
 * sub-sequence numbers, and after a restart exactly what follows the checkpoint, even one inside an aggregate; two
 * applications read one stream through a consumer each (one deregisters it at shutdown); a consumer given by ARN is
 * used as is; a registration Kinesis refuses fails the start, naming the action.
 */
@EmbeddedKinesis
class FanOutConsumptionIT {

    private final List<String> streams = new ArrayList<>();

    @AfterEach
    void deleteStreams(LocalKinesis local) {
        streams.forEach(stream -> TestStreams.delete(local, stream));
    }

    private String created(String stream) {
        streams.add(stream);
        return stream;
    }

    @Test
    void deliversFromTrimHorizonAndANewWorkerContinuesAfterAMidAggregateCheckpoint(LocalKinesis local) {
        String stream = created(local.createStream(1));
        String application = LocalKinesis.uniqueName("app");
        List<String> plain = TestStreams.put(local, stream, "first", 40, 4);
        KplAggregate aggregate = KplAggregate.builder().add("alpha", "u0").add("beta", "u1").add("gamma", "u2")
                .add("delta", "u3").add("epsilon", "u4").build();
        String aggregateSequence = local.kinesisClient().putRecord(request -> request.streamName(stream)
                .partitionKey(aggregate.partitionKey()).data(SdkBytes.fromByteArray(aggregate.bytes())))
                .sequenceNumber();

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Queue<KinesisRecord> first = new ConcurrentLinkedQueue<>();
        try (KinesisAsyncClient async = FanOutClients.http2(local); WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", name -> new CheckpointUpToThirdUserRecord(first),
                    builder -> builder.retrieval(Retrieval.fanOut(async)).meterRegistry(meters));
            await().atMost(Duration.ofSeconds(30)).until(() -> first.size() >= plain.size() + 5);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> first.size() == plain.size() + 5);
            assertThat(meters.get(EngineMetrics.MILLIS_BEHIND_LATEST).gauge().value()).isZero();
            assertThat(meters.get(EngineMetrics.FANOUT_EVENTS).counter().count()).isPositive();
            assertThat(meters.get(EngineMetrics.FANOUT_BYTES).counter().count())
                    .isGreaterThanOrEqualTo(plain.stream().mapToInt(String::length).sum() + aggregate.bytes().length);
            assertThat(meters.get(EngineMetrics.RECORDS_PROCESSED).counter().count()).isEqualTo(plain.size() + 5);
            assertThat(meters.find(EngineMetrics.GET_RECORDS_CALLS).counter()).as("no polling").isNull();
            assertThat(worker.shutdown(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(payloads(first).subList(0, plain.size())).containsExactlyElementsOf(plain);
        List<KinesisRecord> users = List.copyOf(first).subList(plain.size(), plain.size() + 5);
        assertThat(users).allSatisfy(record -> {
            assertThat(record.aggregated()).isTrue();
            assertThat(record.sequenceNumber()).isEqualTo(aggregateSequence);
        });
        assertThat(users).extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L);
        Lease lease = new DynamoDbLeaseTable(local.dynamoDbClient(), application).listLeases().get(0);
        assertThat(lease.checkpoint().sequenceNumber()).isEqualTo(aggregateSequence);
        assertThat(lease.checkpoint().subSequenceNumber()).isEqualTo(2);
        assertThat(lease.leaseOwner()).isNull();

        List<String> second = TestStreams.put(local, stream, "second", 20, 4);
        Queue<KinesisRecord> next = new ConcurrentLinkedQueue<>();
        String consumerArn = consumers(local, stream).get(0).consumerARN();
        try (KinesisAsyncClient async = FanOutClients.http2(local); WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-b", name -> new CheckpointUpToThirdUserRecord(next),
                    builder -> builder.retrieval(Retrieval.fanOut(async).withConsumerArn(consumerArn)));
            await().atMost(Duration.ofSeconds(30)).until(() -> next.size() >= 2 + second.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> next.size() == 2 + second.size());
        }
        assertThat(payloads(next).subList(0, 2)).containsExactly("u3", "u4");
        assertThat(payloads(next).subList(2, next.size())).containsExactlyElementsOf(second);
    }

    @Test
    void twoApplicationsReadOneStreamThroughAConsumerEach(LocalKinesis local) {
        String stream = created(local.createStream(2));
        String orders = LocalKinesis.uniqueName("orders");
        String audit = LocalKinesis.uniqueName("audit");
        RecordingProcessor.Recorder ordersSeen = new RecordingProcessor.Recorder();
        RecordingProcessor.Recorder auditSeen = new RecordingProcessor.Recorder();
        List<String> written;
        try (KinesisAsyncClient async = FanOutClients.http2(local); WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(orders, stream, "orders-1", name -> new RecordingProcessor(ordersSeen, true),
                    builder -> builder.retrieval(Retrieval.fanOut(async)));
            fixture.start(audit, stream, "audit-1", name -> new RecordingProcessor(auditSeen, true),
                    builder -> builder.retrieval(Retrieval.fanOut(async).withConsumerName(audit + "-efo")
                            .withDeregisterOnShutdown(true)));
            written = TestStreams.put(local, stream, "both", 200, 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> ordersSeen.payloads.size() >= written.size()
                    && auditSeen.payloads.size() >= written.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> ordersSeen.payloads.size() == written.size()
                            && auditSeen.payloads.size() == written.size());
            assertThat(consumers(local, stream)).extracting(Consumer::consumerName)
                    .containsExactlyInAnyOrder(orders, audit + "-efo");
        }
        assertThat(ordersSeen.payloads).containsExactlyInAnyOrderElementsOf(written);
        assertThat(auditSeen.payloads).containsExactlyInAnyOrderElementsOf(written);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(consumers(local, stream))
                .as("audit deregisters its consumer at shutdown, orders keeps its own")
                .extracting(Consumer::consumerName).containsExactly(orders));
    }

    @Test
    void aConsumerThatCannotBeRegisteredFailsTheStartNamingTheAction(LocalKinesis local) {
        String stream = created(local.createStream(1));
        ExecutionInterceptor denied = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof RegisterStreamConsumerRequest) {
                    throw KinesisException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("AccessDeniedException").errorMessage("not allowed (injected)").build()).build();
                }
            }
        };
        try (KinesisAsyncClient async = local.configure(KinesisAsyncClient.builder(), local.kinesisEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(denied)).build();
                WorkerFixture fixture = new WorkerFixture(local)) {
            assertThatThrownBy(() -> fixture.start(LocalKinesis.uniqueName("app"), stream, "worker-a",
                    name -> new RecordingProcessor(new RecordingProcessor.Recorder(), true),
                    builder -> builder.retrieval(Retrieval.fanOut(async))))
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageContaining("kinesis:RegisterStreamConsumer was refused (access denied)")
                    .hasMessageContaining(stream);
        }
    }

    private static List<Consumer> consumers(LocalKinesis local, String stream) {
        String streamArn = local.kinesisClient().describeStreamSummary(request -> request.streamName(stream))
                .streamDescriptionSummary().streamARN();
        return local.kinesisClient().listStreamConsumers(request -> request.streamARN(streamArn)).consumers();
    }

    private static List<String> payloads(Queue<KinesisRecord> records) {
        return records.stream().map(record -> new String(record.dataBytes(), StandardCharsets.UTF_8)).toList();
    }

    /** Checkpoints every record except the user records of an aggregate after its third; not at shutdown. */
    private static final class CheckpointUpToThirdUserRecord implements RecordProcessor {

        private final Queue<KinesisRecord> sink;

        CheckpointUpToThirdUserRecord(Queue<KinesisRecord> sink) {
            this.sink = sink;
        }

        @Override
        public void initialize(String shardId) {
        }

        @Override
        public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
            for (KinesisRecord record : records) {
                sink.add(record);
                if (!record.aggregated() || record.subSequenceNumber() <= 2) {
                    checkpointer.checkpoint(record);
                }
            }
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        }
    }
}
