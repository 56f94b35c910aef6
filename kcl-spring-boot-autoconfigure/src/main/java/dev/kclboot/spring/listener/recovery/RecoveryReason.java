package dev.kclboot.spring.listener.recovery;

import java.util.Locale;

/**
 * Why a record went to the recoverer; the {@code reason} tag of {@code kcl.records.recovered} and the
 * {@code reason} of a dead-letter envelope.
 */
public enum RecoveryReason {

    /** The listener failed on it every attempt. */
    EXHAUSTED,

    /** Its payload could not be converted to the listener's parameter type. */
    CONVERSION,

    /** It was older than the listener's {@code maxRecordAge} when it came up for delivery. */
    EXPIRED;

    /** The reason behind a failure a recoverer receives. */
    public static RecoveryReason of(Throwable failure) {
        if (failure instanceof RecordExpiredException) {
            return EXPIRED;
        }
        if (failure instanceof PayloadConversionException) {
            return CONVERSION;
        }
        return EXHAUSTED;
    }

    /** The lower-case name used in tags and envelopes ({@code exhausted}, {@code conversion}, {@code expired}). */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
