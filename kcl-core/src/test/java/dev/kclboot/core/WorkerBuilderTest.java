package dev.kclboot.core;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerBuilderTest {

    private final KinesisClient kinesis = KinesisClient.builder().region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build();

    private final DynamoDbClient dynamoDb = DynamoDbClient.builder().region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build();

    private Worker.Builder valid() {
        return Worker.builder().applicationName("app").stream("stream").kinesisClient(kinesis).dynamoDbClient(dynamoDb)
                .recordProcessorFactory(name -> null);
    }

    private void rejects(Consumer<Worker.Builder> change, String setting) {
        Worker.Builder builder = valid();
        change.accept(builder);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(setting);
    }

    @Test
    void appliesTheDocumentedDefaults() {
        WorkerConfig config = valid().build().config();
        assertThat(config.leaseTableName()).isEqualTo("app");
        assertThat(config.failoverTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxRecords()).isEqualTo(10_000);
        assertThat(config.idleTimeBetweenReads()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxLeasesToStealAtOneTime()).isEqualTo(10);
        assertThat(config.renewalInterval()).isEqualTo(Duration.ofSeconds(10).dividedBy(3));
        assertThat(config.takingInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.workerId()).isNotBlank();
        assertThat(config.skipFailedBatches()).isFalse();
    }

    @Test
    void pollsUnlessFanOutIsChosenAndChecksTheFanOutSettings() {
        assertThat(valid().build().config().retrieval()).isInstanceOf(Retrieval.Polling.class);
        try (KinesisAsyncClient async = KinesisAsyncClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            Retrieval.FanOut fanOut = Retrieval.fanOut(async);
            assertThat(fanOut.consumerName()).isNull();
            assertThat(fanOut.deregisterOnShutdown()).isFalse();
            assertThat(fanOut.shardEndProbeInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(valid().retrieval(fanOut).build().config().retrieval()).isSameAs(fanOut);
            rejects(builder -> builder.applicationName("my app").retrieval(fanOut), "consumerName");
            rejects(builder -> builder.retrieval(fanOut.withConsumerName("x".repeat(129))), "consumerName");
            rejects(builder -> builder.streams(java.util.List.of("a", "b"))
                    .retrieval(fanOut.withConsumerArn("arn:aws:kinesis:us-east-1:1:stream/a/consumer/c:1")), "consumerArn");
            assertThat(valid().applicationName("my app").retrieval(fanOut.withConsumerName("my-app")).build()).isNotNull();
            assertThatThrownBy(() -> fanOut.withShardEndProbeInterval(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shardEndProbeInterval");
        }
    }

    @Test
    void namesTheSettingThatIsWrong() {
        rejects(builder -> builder.applicationName(" "), "applicationName");
        rejects(builder -> builder.leaseTableName(""), "leaseTableName");
        rejects(builder -> builder.stream(" "), "stream");
        rejects(builder -> builder.streams(java.util.List.of()), "stream");
        rejects(builder -> builder.failoverTime(Duration.ZERO), "failoverTime");
        rejects(builder -> builder.failoverTime(Duration.ofSeconds(-1)), "failoverTime");
        rejects(builder -> builder.shardSyncInterval(Duration.ZERO), "shardSyncInterval");
        rejects(builder -> builder.idleTimeBetweenReads(Duration.ofMillis(-1)), "idleTimeBetweenReads");
        rejects(builder -> builder.maxRecords(0), "maxRecords");
        rejects(builder -> builder.maxRecords(10_001), "maxRecords");
        rejects(builder -> builder.maxLeasesPerWorker(0), "maxLeasesPerWorker");
        rejects(builder -> builder.maxLeasesToStealAtOneTime(-1), "maxLeasesToStealAtOneTime");
        rejects(builder -> builder.workerId(""), "workerId");
        rejects(builder -> builder.processingRetryBackoff(Duration.ZERO, Duration.ofSeconds(1)), "processingRetryBackoff");
        assertThatThrownBy(() -> Worker.builder().stream("s").build()).hasMessageContaining("applicationName");
        assertThatThrownBy(() -> Worker.builder().applicationName("a").stream("s").build())
                .hasMessageContaining("kinesisClient");
    }
}
