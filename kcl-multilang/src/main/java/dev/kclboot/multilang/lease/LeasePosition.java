package dev.kclboot.multilang.lease;

import org.jspecify.annotations.Nullable;

/**
 * A lease's checkpoint as the {@code initialize} message carries it: a sequence number and sub-sequence number, or a
 * sentinel such as {@code TRIM_HORIZON} with 0; both null when unknown.
 * @param sequenceNumber the sequence number or sentinel
 * @param subSequenceNumber the sub-sequence number
 */
public record LeasePosition(@Nullable String sequenceNumber, @Nullable Long subSequenceNumber) {

    static final LeasePosition UNKNOWN = new LeasePosition(null, null);

    /** Parses {@link dev.kclboot.core.HeldLease#checkpoint()}: {@code SEQ}, {@code SEQ/SUB} or a sentinel. */
    static LeasePosition parse(String checkpoint) {
        int slash = checkpoint.indexOf('/');
        if (slash < 0) {
            return new LeasePosition(checkpoint, 0L);
        }
        return new LeasePosition(checkpoint.substring(0, slash), Long.parseLong(checkpoint.substring(slash + 1)));
    }
}
