package dev.kclboot.spring.listener;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.util.backoff.BackOff;

/**
 * The resolved settings of one listener container: the endpoint's own values with the container factory's defaults
 * filled in.
 * @param id the listener id, unique in the application context
 * @param applicationName names the lease table and the consumer group sharing the stream
 * @param stream the stream's name or ARN
 * @param batch whether the listener receives the records of one read together
 * @param checkpointMode when checkpoints are written
 * @param checkpointInterval the interval of {@link CheckpointMode#PERIODIC}
 * @param autoStartup whether the container starts with the application context
 * @param maxAttempts how often a record (or batch) is delivered before it counts as exhausted;
 * {@link #UNLIMITED_ATTEMPTS} never gives up
 * @param backOff the wait between attempts
 * @param exhaustedAction what happens after the last attempt
 * @param recoverer receives records that could not be converted, and exhausted records with
 * {@link ExhaustedAction#RECOVER}
 * @param retrieval polling or enhanced fan-out for the listener's worker, or null for the worker factory's default
 * @param delivery bisecting, maximum record age and filter
 */
public record KinesisListenerSettings(String id, String applicationName, String stream, boolean batch,
        CheckpointMode checkpointMode, Duration checkpointInterval, boolean autoStartup, int maxAttempts,
        BackOff backOff, ExhaustedAction exhaustedAction, KinesisRecordRecoverer recoverer,
        @Nullable RetrievalMode retrieval, DeliveryOptions delivery) {

    /** {@link #maxAttempts()} value for "retry until it succeeds". */
    public static final int UNLIMITED_ATTEMPTS = Integer.MAX_VALUE;

    /** Settings that leave the retrieval to the worker factory. */
    public KinesisListenerSettings(String id, String applicationName, String stream, boolean batch,
            CheckpointMode checkpointMode, Duration checkpointInterval, boolean autoStartup, int maxAttempts,
            BackOff backOff, ExhaustedAction exhaustedAction, KinesisRecordRecoverer recoverer) {
        this(id, applicationName, stream, batch, checkpointMode, checkpointInterval, autoStartup, maxAttempts, backOff,
                exhaustedAction, recoverer, null);
    }

    /** Settings without bisecting, record age limit or filter. */
    public KinesisListenerSettings(String id, String applicationName, String stream, boolean batch,
            CheckpointMode checkpointMode, Duration checkpointInterval, boolean autoStartup, int maxAttempts,
            BackOff backOff, ExhaustedAction exhaustedAction, KinesisRecordRecoverer recoverer,
            @Nullable RetrievalMode retrieval) {
        this(id, applicationName, stream, batch, checkpointMode, checkpointInterval, autoStartup, maxAttempts, backOff,
                exhaustedAction, recoverer, retrieval, DeliveryOptions.DEFAULTS);
    }

    public KinesisListenerSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationName, "applicationName");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(checkpointMode, "checkpointMode");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(backOff, "backOff");
        Objects.requireNonNull(exhaustedAction, "exhaustedAction");
        Objects.requireNonNull(recoverer, "recoverer");
        Objects.requireNonNull(delivery, "delivery");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts of listener '" + id + "' must be at least 1, was "
                    + maxAttempts);
        }
        if (delivery.isParallel() && checkpointMode == CheckpointMode.MANUAL) {
            // The checkpoint of a shard delivered by several threads must be the low watermark; a listener that
            // checkpoints its own record would pass records of other keys still in flight.
            throw new IllegalArgumentException("Listener '" + id + "' has concurrency " + delivery.concurrency()
                    + " (@KinesisListener(concurrency) or kcl.listener.concurrency) and checkpointMode MANUAL: with a "
                    + "concurrency above 1 the checkpoint follows the low watermark of the shard, so use RECORD, "
                    + "BATCH or PERIODIC, or concurrency 1");
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpointInterval of listener '" + id + "' must be positive, was "
                    + checkpointInterval);
        }
    }
}
