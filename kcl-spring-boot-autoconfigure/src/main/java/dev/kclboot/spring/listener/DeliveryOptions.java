package dev.kclboot.spring.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a listener's records are screened and split on their way to it, beside the retries (Lambda's event source
 * mapping options {@code FilterCriteria}, {@code MaximumRecordAgeInSeconds} and {@code BisectBatchOnFunctionError}).
 * @param bisectOnError whether a failing batch (of a batch listener) is split in halves until the failing records are
 * isolated; only a record delivered alone counts attempts
 * @param maxRecordAge records older than this by approximate arrival time when they come up for delivery or
 * re-delivery go to the recoverer as expired instead of the listener; null for no limit
 * @param filter the records it does not accept are done without reaching the listener; null delivers every record
 */
public record DeliveryOptions(boolean bisectOnError, @Nullable Duration maxRecordAge,
        @Nullable KinesisRecordFilterStrategy filter) {

    /** No bisecting, no age limit, no filter. */
    public static final DeliveryOptions DEFAULTS = new DeliveryOptions(false, null, null);

    public DeliveryOptions {
        if (maxRecordAge != null && (maxRecordAge.isZero() || maxRecordAge.isNegative())) {
            throw new IllegalArgumentException("maxRecordAge must be positive, was " + maxRecordAge);
        }
    }
}
