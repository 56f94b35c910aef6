package dev.kclboot.core.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.kclboot.core.stream.StreamRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The engine's Micrometer meters, under {@code kcl.} with the tags {@code application}, {@code stream} and
 * {@code shard} where they apply. Without a registry every method does nothing, so plain Java users pay nothing.
 * Per-shard lag gauges are removed when the shard's consumer stops.
 */
public class EngineMetrics {

    public static final String RECORDS_PROCESSED = "kcl.records.processed";
    public static final String BYTES_PROCESSED = "kcl.bytes.processed";
    public static final String BATCH_PROCESSING = "kcl.batch.processing";
    public static final String MILLIS_BEHIND_LATEST = "kcl.shard.millis.behind.latest";
    public static final String LEASES_HELD = "kcl.leases.held";
    public static final String LEASES_TAKEN = "kcl.leases.taken";
    public static final String LEASES_LOST = "kcl.leases.lost";
    public static final String CHECKPOINTS_WRITTEN = "kcl.checkpoints.written";
    public static final String CHECKPOINTS_FAILED = "kcl.checkpoints.failed";
    public static final String GET_RECORDS_CALLS = "kcl.getrecords.calls";
    public static final String THROTTLES = "kcl.getrecords.throttles";
    public static final String EXPIRED_ITERATORS = "kcl.getrecords.expired.iterators";
    public static final String PROCESSING_FAILURES = "kcl.processing.failures";
    public static final String CONSUMER_FAILURES = "kcl.consumer.failures";
    public static final String FANOUT_EVENTS = "kcl.fanout.events";
    public static final String FANOUT_BYTES = "kcl.fanout.bytes";
    public static final String FANOUT_RESUBSCRIPTIONS = "kcl.fanout.resubscriptions";
    public static final String PARALLEL_IN_FLIGHT = "kcl.parallel.records.in.flight";
    public static final String PARALLEL_KEYS_WAITING = "kcl.parallel.keys.waiting";
    public static final String PARALLEL_WATERMARK_LAG_RECORDS = "kcl.parallel.watermark.lag.records";
    public static final String PARALLEL_WATERMARK_LAG = "kcl.parallel.watermark.lag";

    /** Meters registered for one shard tenure; {@link #close()} removes them. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {

        /** Removes the meters (idempotent). */
        @Override
        void close();
    }

    private final @Nullable MeterRegistry registry;

    private final String application;

    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();

    private final Map<String, Meter> lagGauges = new ConcurrentHashMap<>();

    private volatile @Nullable Meter leasesHeldGauge;

    public EngineMetrics(@Nullable MeterRegistry registry, String application) {
        this.registry = registry;
        this.application = application;
    }

    /** Registers the leases-held gauge of the worker (when it starts; {@link #close()} removes it). */
    public void leasesHeld(Supplier<Number> held) {
        if (registry != null) {
            leasesHeldGauge = Gauge.builder(LEASES_HELD, held).tags(Tags.of("application", application))
                    .description("Shard leases this worker holds").register(registry);
        }
    }

    /**
     * Removes the worker's gauges (it stopped), so that a worker started later under the same application name
     * registers its own instead of the registry keeping the stopped one's.
     */
    public void close() {
        Meter held = leasesHeldGauge;
        leasesHeldGauge = null;
        if (registry != null && held != null) {
            registry.remove(held);
        }
        for (String key : lagGauges.keySet()) {
            Meter gauge = lagGauges.remove(key);
            lag.remove(key);
            if (registry != null && gauge != null) {
                registry.remove(gauge);
            }
        }
    }

    public void batchProcessed(StreamRef stream, String shardId, int records, long bytes, Duration took) {
        if (registry == null) {
            return;
        }
        Tags tags = shardTags(stream, shardId);
        Counter.builder(RECORDS_PROCESSED).tags(tags).description("Records processed successfully")
                .register(registry).increment(records);
        Counter.builder(BYTES_PROCESSED).tags(tags).baseUnit("bytes").description("Payload bytes processed successfully")
                .register(registry).increment(bytes);
        Timer.builder(BATCH_PROCESSING).tags(tags).description("Time the processor took per batch")
                .register(registry).record(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    public void processingFailed(StreamRef stream, String shardId) {
        count(PROCESSING_FAILURES, shardTags(stream, shardId), "Batches whose processing threw");
    }

    public void consumerFailed(StreamRef stream, String shardId) {
        count(CONSUMER_FAILURES, shardTags(stream, shardId),
                "Shard consumers that failed (processor initialize, Kinesis refusal, no SHARD_END at TERMINATE)");
    }

    public void millisBehindLatest(StreamRef stream, String shardId, long millis) {
        if (registry == null) {
            return;
        }
        String key = stream.streamName() + "/" + shardId;
        AtomicLong value = lag.computeIfAbsent(key, ignored -> new AtomicLong());
        value.set(millis);
        lagGauges.computeIfAbsent(key, ignored -> Gauge.builder(MILLIS_BEHIND_LATEST, value, AtomicLong::get)
                .tags(shardTags(stream, shardId)).baseUnit("milliseconds")
                .description("How far the last read was behind the tip of the shard").register(registry));
    }

    /**
     * The shard's consumer stopped on this worker: its lag gauge is removed (it would report a stale value). When the
     * shard ended (SHARD_END), every meter tagged with it is removed too, the listener's included: a finished shard
     * never comes back, so series do not pile up with every reshard. After a lease move the counters stay, since the
     * shard may come back here and their totals matter until then. The consumer-failure counter always stays.
     */
    public void shardStopped(StreamRef stream, String shardId, boolean shardEnded) {
        String key = stream.streamName() + "/" + shardId;
        Meter gauge = lagGauges.remove(key);
        lag.remove(key);
        if (registry == null) {
            return;
        }
        if (!shardEnded) {
            if (gauge != null) {
                registry.remove(gauge);
            }
            return;
        }
        for (Meter meter : io.micrometer.core.instrument.search.Search.in(registry).tags(shardTags(stream, shardId))
                .meters()) {
            if (meter.getId().getName().startsWith("kcl.") && !meter.getId().getName().equals(CONSUMER_FAILURES)) {
                registry.remove(meter);
            }
        }
    }

    /**
     * Registers the gauges of a shard whose records are processed by key in parallel (ordered parallelism): records
     * in flight (dispatched and not finished, running or waiting), keys with a record waiting, and how far the low
     * watermark is behind the newest record handed over, in records and in milliseconds of arrival time. The
     * processor closes the registration when its tenure ends, so a lost lease leaves no stale gauge.
     */
    public Registration parallelShard(String streamName, String shardId, Supplier<Number> inFlight,
            Supplier<Number> keysWaiting, Supplier<Number> watermarkLagRecords, Supplier<Number> watermarkLagMillis) {
        MeterRegistry target = registry;
        if (target == null) {
            return () -> {
            };
        }
        Tags tags = shardTags(streamName, shardId);
        List<Meter> meters = List.of(
                Gauge.builder(PARALLEL_IN_FLIGHT, inFlight).tags(tags)
                        .description("Records dispatched by key and not finished (running or waiting)").register(target),
                Gauge.builder(PARALLEL_KEYS_WAITING, keysWaiting).tags(tags)
                        .description("Partition keys with a record waiting (behind the key's running record, or for a "
                                + "free slot)").register(target),
                Gauge.builder(PARALLEL_WATERMARK_LAG_RECORDS, watermarkLagRecords).tags(tags)
                        .description("Records handed over that the low watermark (the checkpoint) does not cover yet")
                        .register(target),
                Gauge.builder(PARALLEL_WATERMARK_LAG, watermarkLagMillis).tags(tags).baseUnit("milliseconds")
                        .description("Arrival time of the newest record handed over minus that of the oldest record "
                                + "not finished").register(target));
        return () -> meters.forEach(target::remove);
    }

    public void leaseTaken() {
        count(LEASES_TAKEN, Tags.of("application", application), "Leases this worker took");
    }

    public void leaseLost() {
        count(LEASES_LOST, Tags.of("application", application), "Leases this worker lost");
    }

    public void checkpointWritten(StreamRef stream, String shardId) {
        count(CHECKPOINTS_WRITTEN, shardTags(stream, shardId), "Checkpoints written");
    }

    public void checkpointFailed(StreamRef stream, String shardId) {
        count(CHECKPOINTS_FAILED, shardTags(stream, shardId), "Checkpoints that could not be written");
    }

    public void getRecordsCall(StreamRef stream, String shardId) {
        count(GET_RECORDS_CALLS, shardTags(stream, shardId), "GetRecords calls");
    }

    public void throttled(StreamRef stream, String shardId) {
        count(THROTTLES, shardTags(stream, shardId), "GetRecords calls that were throttled");
    }

    public void expiredIterator(StreamRef stream, String shardId) {
        count(EXPIRED_ITERATORS, shardTags(stream, shardId), "Shard iterators that expired");
    }

    /** One SubscribeToShard event arrived, carrying this many payload bytes (KPL aggregates counted whole). */
    public void fanOutEvent(StreamRef stream, String shardId, long bytes) {
        if (registry == null) {
            return;
        }
        Tags tags = shardTags(stream, shardId);
        Counter.builder(FANOUT_EVENTS).tags(tags).description("SubscribeToShard events received")
                .register(registry).increment();
        Counter.builder(FANOUT_BYTES).tags(tags).baseUnit("bytes").description("Payload bytes received by enhanced fan-out")
                .register(registry).increment(bytes);
    }

    /** A shard was subscribed to again (the service ended the last subscription, or it failed). */
    public void resubscribed(StreamRef stream, String shardId) {
        count(FANOUT_RESUBSCRIPTIONS, shardTags(stream, shardId),
                "SubscribeToShard calls after the first of a shard tenure (every 5 minutes, and after errors)");
    }

    private void count(String name, Tags tags, String description) {
        if (registry != null) {
            Counter.builder(name).tags(tags).description(description).register(registry).increment();
        }
    }

    private Tags shardTags(StreamRef stream, String shardId) {
        return shardTags(stream.streamName(), shardId);
    }

    private Tags shardTags(String streamName, String shardId) {
        return Tags.of("application", application, "stream", streamName, "shard", shardId);
    }
}
