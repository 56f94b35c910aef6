package dev.kclboot.spring.listener.recovery;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;

/**
 * The payload of a record could not be converted to the type the listener asks for (malformed JSON, for example).
 * Retrying cannot help, so the record goes straight to the {@link KinesisRecordRecoverer} without further attempts.
 */
public class PayloadConversionException extends RuntimeException {

    private final transient KinesisRecord record;

    public PayloadConversionException(KinesisRecord record, String message, Throwable cause) {
        super(message, cause);
        this.record = record;
    }

    /** The record whose payload could not be converted. */
    public KinesisRecord getRecord() {
        return record;
    }
}
