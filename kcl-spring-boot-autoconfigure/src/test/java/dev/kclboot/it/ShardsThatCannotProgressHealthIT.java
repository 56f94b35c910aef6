package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.spring.actuate.KinesisEndpoint;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.KinesisException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shards that cannot progress turn the {@code kinesis} health indicator DOWN and show in its details and the
 * {@code kinesis} endpoint: a shard whose consumer keeps failing (Kinesis refuses to read it) for longer than the
 * failover time, and a stream that was deleted under the application.
 */
class ShardsThatCannotProgressHealthIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aShardKinesisRefusesToReadTurnsHealthDownWithTheActionNamed() {
        LocalKinesis local = LocalKinesis.shared();
        String stream = local.createStream(1);
        try (ConfigurableApplicationContext context = TestApplications.run(DeniedApp.class, local, stream,
                LocalKinesis.uniqueName("app"), "kcl.lease.failover-time=1s")) {
            await().atMost(WAIT).until(() -> KinesisObservabilityIT.kinesisHealth(context).getStatus()
                    .equals(Status.DOWN));
            String details = KinesisObservabilityIT.kinesisHealth(context).getDetails().toString();
            assertThat(details).contains("shard shardId-000000000000 of stream " + stream, "kinesis:GetRecords",
                    "AccessDeniedException");
            assertThat(context.getBean(KinesisEndpoint.class).workers().workers().get(0).shardFailures())
                    .singleElement().satisfies(failure -> assertThat(failure.error()).contains("kinesis:GetRecords"));
        }
    }

    @Test
    void aDeletedStreamTurnsHealthDown() {
        LocalKinesis local = LocalKinesis.shared();
        String stream = local.createStream(1);
        try (ConfigurableApplicationContext context = TestApplications.run(App.class, local, stream,
                LocalKinesis.uniqueName("app"))) {
            local.kinesisClient().putRecord(request -> request.streamName(stream).partitionKey("k")
                    .data(SdkBytes.fromString("one", StandardCharsets.UTF_8)));
            Received received = context.getBean(Received.class);
            await().atMost(WAIT).until(() -> received.payloads.contains("one"));
            assertThat(KinesisObservabilityIT.kinesisHealth(context).getStatus()).isEqualTo(Status.UP);

            local.kinesisClient().deleteStream(request -> request.streamName(stream));
            await().atMost(WAIT).until(() -> KinesisObservabilityIT.kinesisHealth(context).getStatus()
                    .equals(Status.DOWN));
            assertThat(KinesisObservabilityIT.kinesisHealth(context).getDetails().toString())
                    .contains("stream " + stream + " was deleted");
            assertThat(context.getBean(KinesisEndpoint.class).workers().workers().get(0).deletedStreams())
                    .containsKey(stream);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Received received() {
            return new Received();
        }
    }

    /** The application's own Kinesis client, whose credentials may not read records. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class DeniedApp {

        @Bean
        Received received() {
            return new Received();
        }

        @Bean(destroyMethod = "close")
        KinesisClient kinesisClient() {
            LocalKinesis local = LocalKinesis.shared();
            ExecutionInterceptor denied = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof GetRecordsRequest) {
                        throw KinesisException.builder().statusCode(400).message("not authorized (test)")
                                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                                        .errorMessage("not authorized to perform: kinesis:GetRecords").build())
                                .build();
                    }
                }
            };
            return local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                    .overrideConfiguration(config -> config.addExecutionInterceptor(denied)).build();
        }
    }

    static class Received {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onRecord(String payload) {
            payloads.add(payload);
        }
    }
}
