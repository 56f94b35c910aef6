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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A processor slower than the stream: the service sends an event about every second, the processor takes 1.5 s per
 * batch. Events are asked for one at a time, so the worker never holds more than the batch being processed and the
 * one read ahead (the service keeps the rest and sends it, bigger, when asked); an unbounded subscriber would pile up
 * one event per second. Nothing is lost or repeated.
 */
@EmbeddedKinesis
class FanOutBackPressureIT {

    private static final long PROCESSING_MILLIS = 1500;

    @Test
    void aSlowProcessorHoldsAtMostOneBatchReadAhead(LocalKinesis local) throws Exception {
        String stream = local.createStream(1);
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
}
