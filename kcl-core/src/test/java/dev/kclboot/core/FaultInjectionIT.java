package dev.kclboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.checkpoint.ThrottlingException;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures injected into real calls to the emulators (an SDK interceptor throws what the service would).
 */
@EmbeddedKinesis
class FaultInjectionIT {

    /** Throws the given exception instead of the n-th, (n+1)-th... calls of a request type. */
    private static class Failing implements ExecutionInterceptor {

        private final Class<? extends SdkRequest> type;

        private final AtomicInteger calls = new AtomicInteger();

        private final int from;

        private final int to;

        private final RuntimeException failure;

        Failing(Class<? extends SdkRequest> type, int from, int to, RuntimeException failure) {
            this.type = type;
            this.from = from;
            this.to = to;
            this.failure = failure;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (type.isInstance(context.request()) && matches(context.request())) {
                int call = calls.incrementAndGet();
                if (call >= from && call <= to) {
                    throw failure;
                }
            }
        }

        boolean matches(SdkRequest request) {
            return true;
        }
    }

    @Test
    void expiredIteratorsAndThrottlingLoseAndRepeatNothing(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        List<String> first = TestStreams.put(local, stream, "a", 30, 3);
        Failing expired = new Failing(GetRecordsRequest.class, 3, 3,
                ExpiredIteratorException.builder().message("Iterator expired (injected)").build());
        Failing throttled = new Failing(GetRecordsRequest.class, 5, 6,
                ProvisionedThroughputExceededException.builder().message("Rate exceeded (injected)").build());
        KinesisClient kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(expired).addExecutionInterceptor(throttled))
                .build();
        Queue<String> payloads = new ConcurrentLinkedQueue<>();
        RecordProcessor collecting = new NoOpProcessor() {
            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                records.forEach(record -> payloads.add(new String(record.dataBytes(), StandardCharsets.UTF_8)));
                checkpointer.checkpoint();
            }
        };
        Worker worker = Worker.builder().applicationName(application).stream(stream).kinesisClient(kinesis)
                .dynamoDbClient(local.dynamoDbClient()).recordProcessorFactory(name -> collecting)
                .initialPosition(InitialPosition.trimHorizon()).idleTimeBetweenReads(Duration.ofMillis(50))
                .maxRecords(10).build();
        try {
            worker.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> payloads.size() >= first.size());
            List<String> second = TestStreams.put(local, stream, "b", 30, 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> payloads.size() >= first.size() + second.size());
            assertThat(expired.calls.get()).isGreaterThan(3);
            assertThat(throttled.calls.get()).isGreaterThan(6);
            assertThat(payloads).containsExactlyElementsOf(concat(first, second));
        }
        finally {
            worker.shutdown(Duration.ofSeconds(10));
            kinesis.close();
        }
    }

    @Test
    void checkpointThrottlingReachesTheProcessorAsThrottlingException(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        TestStreams.put(local, stream, "a", 5, 1);
        Failing throttled = new Failing(UpdateItemRequest.class, 1, 1,
                software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.builder()
                        .message("Throughput exceeds the current capacity (injected)").statusCode(400)
                        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                .errorCode("ProvisionedThroughputExceededException").build())
                        .build()) {
            @Override
            boolean matches(SdkRequest request) {
                return ((UpdateItemRequest) request).updateExpression().contains("#checkpoint");
            }
        };
        DynamoDbClient dynamoDb = local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(throttled)
                        .retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                .build();
        Queue<String> outcomes = new ConcurrentLinkedQueue<>();
        RecordProcessor checkpointing = new NoOpProcessor() {
            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                try {
                    checkpointer.checkpoint();
                    outcomes.add("ok");
                }
                catch (ThrottlingException ex) {
                    outcomes.add("throttled");
                    checkpointer.checkpoint();
                    outcomes.add("ok after retry");
                }
            }
        };
        Worker worker = Worker.builder().applicationName(application).stream(stream).kinesisClient(local.kinesisClient())
                .dynamoDbClient(dynamoDb).recordProcessorFactory(name -> checkpointing)
                .initialPosition(InitialPosition.trimHorizon()).idleTimeBetweenReads(Duration.ofMillis(50)).build();
        try {
            worker.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() >= 2);
            assertThat(outcomes).startsWith("throttled", "ok after retry");
        }
        finally {
            worker.shutdown(Duration.ofSeconds(10));
            dynamoDb.close();
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }

    private abstract static class NoOpProcessor implements RecordProcessor {

        @Override
        public void initialize(String shardId) {
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        }
    }
}
