package dev.kclboot.spring.listener;

import java.time.Duration;

import dev.kclboot.core.parallel.KeyOrderedProcessorFactory;
import org.jspecify.annotations.Nullable;

/**
 * How a listener's records are screened, split and spread on their way to it, beside the retries (Lambda's event
 * source mapping options {@code FilterCriteria}, {@code MaximumRecordAgeInSeconds}, {@code BisectBatchOnFunctionError}
 * and {@code ParallelizationFactor}).
 * @param bisectOnError whether a failing batch (of a batch listener) is split in halves until the failing records are
 * isolated; only a record delivered alone counts attempts
 * @param maxRecordAge records older than this by approximate arrival time when they come up for delivery or
 * re-delivery go to the recoverer as expired instead of the listener; null for no limit
 * @param filter the records it does not accept are done without reaching the listener; null delivers every record
 * @param concurrency the most listener calls running at once per shard, for records of different partition keys (a
 * key's records are delivered one at a time, in shard order); 1 delivers the shard one record (or batch) at a time.
 * A batch listener then gets each batch in up to this many key groups, delivered at once
 * @param window with a concurrency above 1, the most records of a shard in flight (handed over, not done); when it is
 * full the shard stops reading, so a blocked key cannot make memory grow
 */
public record DeliveryOptions(boolean bisectOnError, @Nullable Duration maxRecordAge,
        @Nullable KinesisRecordFilterStrategy filter, int concurrency, int window) {

    /** No bisecting, no age limit, no filter, one record at a time per shard. */
    public static final DeliveryOptions DEFAULTS = new DeliveryOptions(false, null, null);

    public DeliveryOptions {
        if (maxRecordAge != null && (maxRecordAge.isZero() || maxRecordAge.isNegative())) {
            throw new IllegalArgumentException("maxRecordAge must be positive, was " + maxRecordAge);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
    }

    /** Options that deliver one record (or batch) at a time per shard. */
    public DeliveryOptions(boolean bisectOnError, @Nullable Duration maxRecordAge,
            @Nullable KinesisRecordFilterStrategy filter) {
        this(bisectOnError, maxRecordAge, filter, 1, KeyOrderedProcessorFactory.defaultWindow(1));
    }

    /** Whether records of different partition keys of one shard are delivered at once. */
    public boolean isParallel() {
        return concurrency > 1;
    }
}
