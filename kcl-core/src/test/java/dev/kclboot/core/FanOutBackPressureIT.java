package dev.kclboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * A processor slower than the stream: the service sends an event about every second, the processor takes 1.5 s per
 * batch. Events are asked for one at a time, so the worker never holds more than the batch being processed and the
 * one read ahead (the service keeps the rest and sends it, bigger, when asked); an unbounded subscriber would pile up
 * one event per second. Nothing is lost or repeated. A shard whose processor is stuck does not disturb the others.
 */
@EmbeddedKinesis
class FanOutBackPressureIT {

    private final List<String> streams = new ArrayList<>();

    @AfterEach
    void deleteStreams(LocalKinesis local) {
        streams.forEach(stream -> TestStreams.delete(local, stream));
    }

    private String created(String stream) {
        streams.add(stream);
        return stream;
    }

    private static final long PROCESSING_MILLIS = 1500;

    /** The read timeout of the client in the stuck-shard test; the reader lets an unasked subscription go before. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(8);

    @Test
    void aSlowProcessorHoldsAtMostOneBatchReadAhead(LocalKinesis local) throws Exception {
        String stream = created(local.createStream(1));
        String application = LocalKinesis.uniqueName("app");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicBoolean producing = new AtomicBoolean(true);
        Queue<String> processed = new ConcurrentLinkedQueue<>();
        List<Integer> heldAhead = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        List<String> written = new ArrayList<>();
        try (KinesisAsyncClient async = FanOutClients.http2(local); WorkerFixture fixture = new WorkerFixture(local)) {
            RecordProcessor slow = new RecordProcessor() {
                @Override
                public void initialize(String shardId) {
                }

                @Override
                public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                    int started = batches.incrementAndGet();
                    if (producing.get()) {
                        // Events received minus batches started: what was read and not yet processed, beyond this one.
                        double events = meters.get(EngineMetrics.FANOUT_EVENTS).counter().count();
                        synchronized (heldAhead) {
                            heldAhead.add((int) events - started);
                        }
                    }
                    records.forEach(record -> processed.add(new String(record.dataBytes(), StandardCharsets.UTF_8)));
                    try {
                        Thread.sleep(PROCESSING_MILLIS);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    checkpointer.checkpoint();
                }

                @Override
                public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
                }
            };
            fixture.start(application, stream, "worker-a", name -> slow,
                    builder -> builder.retrieval(Retrieval.fanOut(async)).meterRegistry(meters));
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until) {
                written.addAll(TestStreams.put(local, stream, "r" + written.size(), 20, 4));
                Thread.sleep(250);
            }
            producing.set(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> processed.size() >= written.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> processed.size() == written.size());
        }
        assertThat(List.copyOf(processed)).containsExactlyElementsOf(written);
        assertThat(heldAhead).hasSizeGreaterThanOrEqualTo(5);
        // The first sample counts the empty events before the first records; from then on at most one more event
        // than batches may have arrived (the one read ahead).
        int baseline = heldAhead.get(0);
        assertThat(heldAhead).as("events received ahead of processing").allSatisfy(
                ahead -> assertThat(ahead).isBetween(baseline - 1, baseline + 1));
    }

    /**
     * One shard's processor is stuck for longer than the HTTP client's read timeout. Its subscription, asked for
     * nothing, is cancelled before the timeout would close the HTTP/2 connection both subscriptions share: the other
     * shard's subscription runs on undisturbed, and the stuck one resumes from its continuation.
     */
    @Test
    void aStuckShardLetsItsSubscriptionGoWithoutDisturbingTheOthers(LocalKinesis local) throws Exception {
        String stream = created(local.createStream(2));
        String application = LocalKinesis.uniqueName("app");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        AtomicBoolean stuckOnce = new AtomicBoolean();
        List<String> written = new ArrayList<>();
        try (KinesisAsyncClient async = local.configure(KinesisAsyncClient.builder(), local.kinesisEndpoint())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2).readTimeout(READ_TIMEOUT))
                .build(); WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> new RecordingProcessor(recorder, true) {
                @Override
                public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                    if (records.get(0).shardId().endsWith("0") && stuckOnce.compareAndSet(false, true)) {
                        sleep(READ_TIMEOUT.plusSeconds(3).toMillis());
                    }
                    super.processRecords(records, checkpointer);
                }
            }, builder -> builder.retrieval(Retrieval.fanOut(async)).meterRegistry(meters));
            long until = System.nanoTime() + READ_TIMEOUT.plusSeconds(6).toNanos();
            while (System.nanoTime() < until) {
                written.addAll(TestStreams.put(local, stream, "r" + written.size(), 10, 10));
                Thread.sleep(250);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= written.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> recorder.payloads.size() == written.size());
            assertThat(stuckOnce).isTrue();
            assertThat(resubscriptions(meters, "shardId-000000000001")).as("the other shard's subscription").isZero();
            assertThat(resubscriptions(meters, "shardId-000000000000")).as("the stuck shard's").isPositive();
        }
        assertThat(recorder.payloads).hasSize(written.size()).containsExactlyInAnyOrderElementsOf(written);
    }

    private static double resubscriptions(SimpleMeterRegistry meters, String shardId) {
        var counter = meters.find(EngineMetrics.FANOUT_RESUBSCRIPTIONS).tag("shard", shardId).counter();
        return counter == null ? 0 : counter.count();
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
