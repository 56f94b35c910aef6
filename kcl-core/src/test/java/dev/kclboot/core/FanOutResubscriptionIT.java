package dev.kclboot.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions that end mid-stream, while records keep coming, are followed by new ones from the continuation
 * sequence number: one completed as the service completes them every 5 minutes, one failed as a reset connection
 * fails; the emulator answers the first attempts after each with ResourceInUseException until it noticed the old
 * subscription is gone. Every record arrives exactly once, in write order.
 */
@EmbeddedKinesis
class FanOutResubscriptionIT {

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
    void subscriptionsEndedMidStreamContinueWithNoGapAndNoDuplicate(LocalKinesis local) throws Exception {
        String stream = created(local.createStream(1));
        String application = LocalKinesis.uniqueName("app");
        SubscriptionCutter cutter = new SubscriptionCutter(3);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        List<String> written = new ArrayList<>();
        try (KinesisAsyncClient async = local.configure(KinesisAsyncClient.builder(), local.kinesisEndpoint())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2))
                .overrideConfiguration(config -> config.addExecutionInterceptor(cutter)).build();
                WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> new RecordingProcessor(recorder, true),
                    builder -> builder.retrieval(Retrieval.fanOut(async)).meterRegistry(meters));
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 40; round++) {
                    written.addAll(TestStreams.put(local, stream, "r" + round, 10, 1));
                    sleep(250);
                }
            });
            await().atMost(Duration.ofSeconds(40)).until(() -> cutter.completed.get() == 1 && cutter.failed.get() == 1);
            producer.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= written.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> recorder.payloads.size() == written.size());
            assertThat(meters.get(EngineMetrics.FANOUT_RESUBSCRIPTIONS).counter().count())
                    .isEqualTo(cutter.subscriptions() - 1).isGreaterThanOrEqualTo(2);
        }
        assertThat(List.copyOf(recorder.payloads)).as("every record once, in write order").containsExactlyElementsOf(written);
        assertThat(recorder.events).containsExactly("initialize shardId-000000000000", "REQUESTED shardId-000000000000");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
