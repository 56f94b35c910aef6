package dev.kclboot.spring.config;

import java.time.Duration;

import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.RetrievalMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.KinesisRecordFilterStrategy;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.backoff.BackOff;

/**
 * What one listener asks for: its id and the settings it sets itself. A null setting takes the
 * {@link KinesisListenerContainerFactory}'s default. Made from a {@code @KinesisListener} method
 * ({@link MethodKinesisListenerEndpoint}) or in code ({@link SimpleKinesisListenerEndpoint}).
 */
public abstract class KinesisListenerEndpoint {

    private final String id;

    private @Nullable String stream;

    private @Nullable String applicationName;

    private @Nullable Boolean batch;

    private @Nullable CheckpointMode checkpointMode;

    private @Nullable Duration checkpointInterval;

    private @Nullable Boolean autoStartup;

    private @Nullable Integer maxAttempts;

    private @Nullable BackOff backOff;

    private @Nullable ExhaustedAction exhaustedAction;

    private @Nullable RetrievalMode retrieval;

    private @Nullable KinesisRecordRecoverer recoverer;

    private @Nullable Boolean bisectOnError;

    private @Nullable Duration maxRecordAge;

    private @Nullable KinesisRecordFilterStrategy filter;

    private @Nullable Integer concurrency;

    private @Nullable Integer window;

    protected KinesisListenerEndpoint(String id) {
        if (id.isBlank()) {
            throw new IllegalArgumentException("A listener id must not be blank");
        }
        this.id = id;
    }

    /** Makes the listener the container delivers to, once the settings are resolved. */
    public abstract KinesisMessageListener createListener(KinesisListenerSettings settings,
            ListenerMethodAdapterFactory adapterFactory);

    /** Names the endpoint in error messages (the method, or the id). */
    public String describe() {
        return "listener '" + id + "'";
    }

    public String getId() {
        return id;
    }

    public @Nullable String getStream() {
        return stream;
    }

    /** The stream's name or ARN. */
    public void setStream(@Nullable String stream) {
        this.stream = stream;
    }

    public @Nullable String getApplicationName() {
        return applicationName;
    }

    public void setApplicationName(@Nullable String applicationName) {
        this.applicationName = applicationName;
    }

    public @Nullable Boolean getBatch() {
        return batch;
    }

    public void setBatch(@Nullable Boolean batch) {
        this.batch = batch;
    }

    public @Nullable CheckpointMode getCheckpointMode() {
        return checkpointMode;
    }

    public void setCheckpointMode(@Nullable CheckpointMode checkpointMode) {
        this.checkpointMode = checkpointMode;
    }

    public @Nullable Duration getCheckpointInterval() {
        return checkpointInterval;
    }

    public void setCheckpointInterval(@Nullable Duration checkpointInterval) {
        this.checkpointInterval = checkpointInterval;
    }

    public @Nullable Boolean getAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(@Nullable Boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public @Nullable Integer getMaxAttempts() {
        return maxAttempts;
    }

    /** How often a record is delivered before it counts as exhausted; {@code -1} for unlimited. */
    public void setMaxAttempts(@Nullable Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public @Nullable BackOff getBackOff() {
        return backOff;
    }

    public void setBackOff(@Nullable BackOff backOff) {
        this.backOff = backOff;
    }

    public @Nullable ExhaustedAction getExhaustedAction() {
        return exhaustedAction;
    }

    public void setExhaustedAction(@Nullable ExhaustedAction exhaustedAction) {
        this.exhaustedAction = exhaustedAction;
    }

    public @Nullable KinesisRecordRecoverer getRecoverer() {
        return recoverer;
    }

    public void setRecoverer(@Nullable KinesisRecordRecoverer recoverer) {
        this.recoverer = recoverer;
    }

    /** Polling or enhanced fan-out; null for the worker factory's default ({@code kcl.retrieval.mode}). */
    public @Nullable RetrievalMode getRetrieval() {
        return retrieval;
    }

    public void setRetrieval(@Nullable RetrievalMode retrieval) {
        this.retrieval = retrieval;
    }

    public @Nullable Boolean getBisectOnError() {
        return bisectOnError;
    }

    /** Whether a failing batch is split in halves until the failing records are isolated (batch listeners). */
    public void setBisectOnError(@Nullable Boolean bisectOnError) {
        this.bisectOnError = bisectOnError;
    }

    public @Nullable Duration getMaxRecordAge() {
        return maxRecordAge;
    }

    /** Records older than this when they come up for delivery go to the recoverer as expired. */
    public void setMaxRecordAge(@Nullable Duration maxRecordAge) {
        this.maxRecordAge = maxRecordAge;
    }

    public @Nullable KinesisRecordFilterStrategy getFilter() {
        return filter;
    }

    /** Only the records it accepts reach the listener; the others count as done. */
    public void setFilter(@Nullable KinesisRecordFilterStrategy filter) {
        this.filter = filter;
    }

    public @Nullable Integer getConcurrency() {
        return concurrency;
    }

    /** How many records of different partition keys of one shard are delivered at once (1: one at a time). */
    public void setConcurrency(@Nullable Integer concurrency) {
        this.concurrency = concurrency;
    }

    public @Nullable Integer getWindow() {
        return window;
    }

    /** With a concurrency above 1, the most records of a shard in flight; a full window stops the shard's reads. */
    public void setWindow(@Nullable Integer window) {
        this.window = window;
    }
}
