package dev.kclboot.spring.listener;

/**
 * What a listener container does with a record (or batch) that still fails after the maximum number of attempts.
 */
public enum ExhaustedAction {

    /**
     * Hand it to the {@link KinesisRecordRecoverer} (by default one that logs and skips); once the recoverer returns,
     * the record counts as done and the checkpoint may pass it. A recoverer that throws is called again after a
     * backoff: the record is never dropped silently.
     */
    RECOVER,

    /**
     * Stop the listener: the checkpoint stays before the failing record, so it is delivered again when the listener
     * is started again (here or on another instance).
     */
    STOP
}
