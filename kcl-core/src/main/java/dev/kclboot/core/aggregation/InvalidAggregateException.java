package dev.kclboot.core.aggregation;

/**
 * A record starts with the KPL magic but is not a valid aggregate. Checked and package-private on purpose: it never
 * leaves {@link RecordDeaggregator}, which turns it into "deliver the record unchanged and report it".
 */
final class InvalidAggregateException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidAggregateException(String message) {
        // No stack trace: this is a data problem, reported by its message, and may come per record.
        super(message, null, false, false);
    }
}
