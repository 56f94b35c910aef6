package dev.kclboot.spring.listener.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.recovery.RecoveryReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import org.jspecify.annotations.Nullable;

/**
 * The meters of the listener containers: what happens to records after the engine handed them over, which the engine
 * cannot see (it counts a batch as processed once the container returns it, recovered records included). Tags:
 * {@code application}, {@code stream}, {@code shard} and {@code listener} (the listener id), plus {@code reason} on
 * {@value #RECORDS_RECOVERED}. Without a registry nothing is recorded.
 * <ul>
 * <li>{@value #LISTENER_FAILURES}: listener calls that threw (one per failed attempt; a batch listener's failed call
 * counts once), and payloads that could not be converted;</li>
 * <li>{@value #LISTENER_RETRIES}: calls repeated after a failure (after the backoff);</li>
 * <li>{@value #RECORDS_RECOVERED}: records handed to the recoverer and accepted by it, {@code reason} =
 * {@code exhausted} (every attempt failed), {@code conversion} (the payload could not be converted) or
 * {@code expired} (older than the listener's {@code maxRecordAge} when it came up for delivery);</li>
 * <li>{@value #RECORDS_FILTERED}: records the listener's filter kept from it (done without a call);</li>
 * <li>{@value #RECOVERER_FAILURES}: recoverer calls that threw (the recoverer is called again);</li>
 * <li>{@value #LISTENER_STOPS}: listeners stopped because a record failed every attempt with {@code onExhausted =
 * STOP}.</li>
 * <li>{@value #ITERATOR_AGE} (a time gauge, per shard this instance holds): the age of the oldest record handed to the
 * listener and not yet done, i.e. now minus its approximate arrival time; between batches, the age the last record
 * had when it was done. It keeps growing while a record is blocked (retried, or in a call that does not return) and
 * stays high while the listener is behind, unlike {@code kcl.shard.millis.behind.latest}, which only moves when the
 * shard is read. Removed when the shard's lease leaves this instance.</li>
 * </ul>
 */
public final class KinesisListenerMetrics {

    public static final String LISTENER_FAILURES = "kcl.listener.failures";

    public static final String LISTENER_RETRIES = "kcl.listener.retries";

    public static final String RECORDS_RECOVERED = "kcl.records.recovered";

    public static final String RECOVERER_FAILURES = "kcl.recoverer.failures";

    public static final String RECORDS_FILTERED = "kcl.records.filtered";

    public static final String LISTENER_STOPS = "kcl.listener.stops";

    public static final String ITERATOR_AGE = "kcl.listener.iterator.age";

    /** Records nothing. */
    public static final KinesisListenerMetrics NONE = new KinesisListenerMetrics(null);

    private final @Nullable MeterRegistry registry;

    /**
     * @param registry where the meters go, or null for none
     */
    public KinesisListenerMetrics(@Nullable MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry the meters go to, null for none (for meters other components register beside these). */
    public @Nullable MeterRegistry registry() {
        return registry;
    }

    public void listenerFailed(KinesisListenerSettings settings, String stream, KinesisRecord record) {
        count(LISTENER_FAILURES, tags(settings, stream, record), "Listener calls that threw", 1);
    }

    public void retried(KinesisListenerSettings settings, String stream, KinesisRecord record) {
        count(LISTENER_RETRIES, tags(settings, stream, record), "Listener calls repeated after a failure", 1);
    }

    public void recovered(KinesisListenerSettings settings, String stream, KinesisRecord record,
            RecoveryReason reason) {
        count(RECORDS_RECOVERED, tags(settings, stream, record).and("reason", reason.tagValue()),
                "Records handed to the recoverer", 1);
    }

    /** Records a filter kept from the listener (they count as done). */
    public void filtered(KinesisListenerSettings settings, String stream, KinesisRecord record, int count) {
        count(RECORDS_FILTERED, tags(settings, stream, record), "Records the listener's filter kept from it", count);
    }

    public void recovererFailed(KinesisListenerSettings settings, String stream, KinesisRecord record) {
        count(RECOVERER_FAILURES, tags(settings, stream, record), "Recoverer calls that threw", 1);
    }

    public void stopped(KinesisListenerSettings settings, String stream, List<KinesisRecord> records) {
        count(LISTENER_STOPS, tags(settings, stream, records.get(0)),
                "Listeners stopped because a record failed every attempt", 1);
    }

    /** Registers the iterator-age gauge of a shard; returns it for {@link #shardStopped(Meter)}. */
    public @Nullable Meter shardStarted(KinesisListenerSettings settings, String stream, String shardId,
            DoubleSupplier iteratorAgeMillis) {
        MeterRegistry current = registry;
        if (current == null) {
            return null;
        }
        // A strong reference: the source lives only as long as the shard processor, and the gauge is removed with
        // it, so a weak one would only risk reading NaN.
        return TimeGauge.builder(ITERATOR_AGE, iteratorAgeMillis, TimeUnit.MILLISECONDS, DoubleSupplier::getAsDouble)
                .tags(Tags.of("application", settings.applicationName(), "stream", stream, "shard", shardId,
                        "listener", settings.id()))
                .description("Age of the oldest record handed to the listener and not yet done").strongReference(true)
                .register(current);
    }

    public void shardStopped(@Nullable Meter gauge) {
        MeterRegistry current = registry;
        if (current != null && gauge != null) {
            current.remove(gauge);
        }
    }

    private void count(String name, Tags tags, String description, double amount) {
        MeterRegistry current = registry;
        if (current != null) {
            Counter.builder(name).tags(tags).description(description).register(current).increment(amount);
        }
    }

    private static Tags tags(KinesisListenerSettings settings, String stream, KinesisRecord record) {
        return Tags.of("application", settings.applicationName(), "stream", stream, "shard", record.shardId(),
                "listener", settings.id());
    }
}
