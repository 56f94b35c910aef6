package dev.kclboot.core.aggregation;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/**
 * Counts de-aggregation problems in Micrometer:
 * <ul>
 * <li>{@value #FAILURES}: records that carried the KPL magic but were not valid aggregates, and were therefore
 * delivered unchanged;</li>
 * <li>{@value #FILTERED}: user records dropped because their hash key lies outside the shard's range.</li>
 * </ul>
 * No shard tag: the shard and sequence number are in the WARN log, and per-shard tags would grow without bound as
 * streams reshard.
 */
public final class MicrometerDeaggregationListener implements DeaggregationListener {

    /** Counter of records delivered unchanged because their aggregate was corrupt. */
    public static final String FAILURES = "kcl.records.deaggregation.failures";

    /** Counter of user records dropped by hash key range filtering. */
    public static final String FILTERED = "kcl.records.deaggregation.filtered";

    private final Counter failures;

    private final Counter filtered;

    /**
     * @param registry where the counters are registered
     * @param tags common tags for both counters (e.g. application and stream)
     */
    public MicrometerDeaggregationListener(MeterRegistry registry, Iterable<Tag> tags) {
        this.failures = Counter.builder(FAILURES)
                .description("Records with the KPL magic that were not valid aggregates, delivered unchanged")
                .tags(tags)
                .register(registry);
        this.filtered = Counter.builder(FILTERED)
                .description("KPL user records dropped because their hash key is outside the shard's range")
                .tags(tags)
                .register(registry);
    }

    public MicrometerDeaggregationListener(MeterRegistry registry) {
        this(registry, List.of());
    }

    @Override
    public void corruptAggregate(String shardId, String sequenceNumber, String reason) {
        failures.increment();
    }

    @Override
    public void userRecordsFiltered(String shardId, String sequenceNumber, int dropped) {
        filtered.increment(dropped);
    }
}
