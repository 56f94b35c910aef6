package dev.kclboot.core;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The failure model per shard: a consumer that fails shuts its processor down (ZOMBIE), releases the lease and keeps
 * this worker off the shard for a growing backoff, visible in {@link Worker#shardFailures()} and counted; transient
 * DynamoDB errors never kill a consumer or fail a start; definite ones are described as what they are.
 */
@EmbeddedKinesis
class ConsumerFailureIT {

    @Test
    void aShardWhoseProcessorCannotInitializeBacksOffIsVisibleAndRecovers(LocalKinesis local) {
        String stream = local.createStream(1);
        List<String> written = TestStreams.put(local, stream, "x", 10, 2);
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger initializeFailures = new AtomicInteger();
        Queue<String> events = new ConcurrentLinkedQueue<>();
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordProcessor processor = new RecordProcessor() {
            @Override
            public void initialize(String shardId) {
                if (broken.get()) {
                    initializeFailures.incrementAndGet();
                    throw new IllegalStateException("configuration service unreachable (test)");
                }
            }

            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                records.forEach(record -> delivered.add(new String(record.dataBytes())));
                checkpointer.checkpoint();
            }

            @Override
            public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
                events.add(reason.name());
            }
        };
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(LocalKinesis.uniqueName("app"), stream, "worker-a", name -> processor,
                    builder -> builder.consumerFailureBackoff(Duration.ofMillis(400), Duration.ofSeconds(2))
                            .meterRegistry(meters));
            await().atMost(Duration.ofSeconds(20)).until(() -> initializeFailures.get() >= 3);
            List<ShardFailure> failures = worker.shardFailures();
            assertThat(failures).singleElement().satisfies(failure -> {
                assertThat(failure.shardId()).isEqualTo("shardId-000000000000");
                assertThat(failure.streamName()).isEqualTo(stream);
                assertThat(failure.failures()).isGreaterThanOrEqualTo(3);
                assertThat(failure.error()).contains("IllegalStateException", "configuration service unreachable");
                assertThat(failure.since()).isBefore(failure.lastFailure());
            });
            // Each failure shut the processor down as ZOMBIE and was counted.
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= initializeFailures.get());
            assertThat(events).containsOnly("ZOMBIE");
            double counted = meters.get(EngineMetrics.CONSUMER_FAILURES).counter().count();
            assertThat((long) counted).isEqualTo(initializeFailures.get());
            // Backing off, not spinning: over 3 s at most a handful of attempts (the cap is 2 s).
            int before = initializeFailures.get();
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            assertThat(initializeFailures.get() - before).isBetween(0, 4);

            broken.set(false);
            await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= written.size());
            assertThat(List.copyOf(delivered)).containsExactlyElementsOf(written);
            await().atMost(Duration.ofSeconds(5)).until(() -> worker.shardFailures().isEmpty());
        }
    }

    @Test
    void kinesisRefusingToReadAShardNamesTheActionAndTheShard(LocalKinesis local) {
        String stream = local.createStream(1);
        TestStreams.put(local, stream, "x", 3, 1);
        ExecutionInterceptor denied = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetRecordsRequest) {
                    throw KinesisException.builder().statusCode(400).message("not authorized (test)")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                                    .errorMessage("User is not authorized to perform: kinesis:GetRecords").build())
                            .build();
                }
            }
        };
        try (KinesisClient kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(denied)).build();
                WorkerFixture fixture = new WorkerFixture(local)) {
            RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
            Worker worker = fixture.start(LocalKinesis.uniqueName("app"), stream, "worker-a",
                    name -> new RecordingProcessor(recorder, true), builder -> builder.kinesisClient(kinesis));
            await().atMost(Duration.ofSeconds(20)).until(() -> !worker.shardFailures().isEmpty());
            assertThat(worker.shardFailures().get(0).error()).contains("kinesis:GetRecords", "shardId-000000000000",
                    stream, "AccessDeniedException");
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("ZOMBIE shardId-000000000000"));
        }
    }

    @Test
    void aTransientDynamoDbErrorWhileCreatingChildLeasesIsRetriedNotFatal(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        List<String> before = TestStreams.put(local, stream, "p", 10, 2);
        AtomicInteger childPutsFailed = new AtomicInteger();
        ExecutionInterceptor failingTwice = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutItemRequest put && put.item().containsKey("parentShardId")
                        && childPutsFailed.get() < 2) {
                    childPutsFailed.incrementAndGet();
                    throw DynamoDbException.builder().statusCode(500).message("Internal error (test)")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build()).build();
                }
            }
        };
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        try (DynamoDbClient dynamoDb = local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(failingTwice)
                        .retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                .build();
                WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a",
                    name -> new RecordingProcessor(recorder, true),
                    builder -> builder.dynamoDbClient(dynamoDb).shardSyncInterval(Duration.ofMinutes(5)));
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.payloads.size() >= before.size());
            Shard parent = local.kinesisClient().listShards(request -> request.streamName(stream)).shards().get(0);
            BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
            BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
            local.kinesisClient().splitShard(request -> request.streamName(stream).shardToSplit(parent.shardId())
                    .newStartingHashKey(start.add(end).shiftRight(1).toString()));
            local.awaitStreamActive(stream, Duration.ofSeconds(30));
            List<String> after = TestStreams.put(local, stream, "c", 20, 4);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> recorder.payloads.size() >= before.size() + after.size());
            assertThat(childPutsFailed.get()).isEqualTo(2);
            assertThat(recorder.events).containsOnlyOnce("TERMINATE " + parent.shardId())
                    .noneMatch(event -> event.startsWith("ZOMBIE"));
            assertThat(recorder.payloads).hasSize(before.size() + after.size());
            assertThat(worker.shardFailures()).isEmpty();
        }
    }

    @Test
    void startRetriesAThrottledDynamoDbAndDescribesAPersistentThrottleAsAThrottle(LocalKinesis local) {
        String stream = local.createStream(1);
        AtomicInteger throttles = new AtomicInteger();
        AtomicInteger throttleBudget = new AtomicInteger(3);
        ExecutionInterceptor throttling = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof DescribeTableRequest && throttleBudget.getAndDecrement() > 0) {
                    throttles.incrementAndGet();
                    throw DynamoDbException.builder().statusCode(400).message("Rate exceeded (test)")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException")
                                    .errorMessage("Rate exceeded").build()).build();
                }
            }
        };
        try (DynamoDbClient dynamoDb = local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(throttling)
                        .retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                .build()) {
            Worker briefly = builder(local, stream, dynamoDb).build();
            briefly.start();
            assertThat(briefly.state()).isEqualTo(WorkerState.RUNNING);
            assertThat(throttles.get()).isEqualTo(3);
            briefly.shutdown(Duration.ofSeconds(5));

            throttleBudget.set(Integer.MAX_VALUE);
            Worker persistently = builder(local, stream, dynamoDb).startupRetryTimeout(Duration.ofSeconds(1)).build();
            assertThatThrownBy(persistently::start).isInstanceOf(LeaseTableAccessException.class)
                    .hasMessageContaining("dynamodb:DescribeTable was throttled")
                    .hasMessageContaining("still after retrying for 1 s")
                    .hasMessageNotContaining("refused");
        }
    }

    @Test
    void startFailsAtOnceWhenDynamoDbDeniesAccessAndSaysSo(LocalKinesis local) {
        String stream = local.createStream(1);
        AtomicInteger calls = new AtomicInteger();
        ExecutionInterceptor denying = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.incrementAndGet();
                throw DynamoDbException.builder().statusCode(400).message("not authorized (test)")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                                .errorMessage("User is not authorized to perform: dynamodb:DescribeTable").build())
                        .build();
            }
        };
        try (DynamoDbClient dynamoDb = local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(denying)).build()) {
            Worker worker = builder(local, stream, dynamoDb).build();
            assertThatThrownBy(worker::start).isInstanceOf(LeaseTableAccessException.class)
                    .hasMessageContaining("dynamodb:DescribeTable was refused (access denied)")
                    .hasMessageContaining("AccessDeniedException");
            assertThat(calls.get()).as("a definite answer is not retried").isEqualTo(1);
        }
    }

    private static Worker.Builder builder(LocalKinesis local, String stream, DynamoDbClient dynamoDb) {
        return Worker.builder().applicationName(LocalKinesis.uniqueName("app")).stream(stream)
                .kinesisClient(local.kinesisClient()).dynamoDbClient(dynamoDb)
                .recordProcessorFactory(name -> new RecordingProcessor(new RecordingProcessor.Recorder(), true))
                .initialPosition(InitialPosition.trimHorizon());
    }
}
