package dev.kclboot.spring.listener.adapter;

import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.support.micrometer.DefaultKinesisListenerObservationConvention;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservation;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservationContext;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservationConvention;
import dev.kclboot.spring.support.micrometer.KinesisMdc;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Wraps each listener delivery (one call with a record or a batch, each retry a delivery of its own) in a Micrometer
 * {@link KinesisListenerObservation#LISTENER_OBSERVATION} and puts the {@link KinesisMdc} keys in the MDC for the
 * length of the call, restoring what was there before. Without an observation registry the observation is a noop:
 * its context is never built.
 */
final class ListenerDeliveryObserver {

    private final ObservationRegistry registry;

    private final @Nullable KinesisListenerObservationConvention convention;

    private final KinesisListenerSettings settings;

    ListenerDeliveryObserver(ObservationRegistry registry, @Nullable KinesisListenerObservationConvention convention,
            KinesisListenerSettings settings) {
        this.registry = registry;
        this.convention = convention;
        this.settings = settings;
    }

    /**
     * Runs the call observed.
     * @param records the records delivered, in shard order
     * @param stream the stream they were read from
     */
    void observe(List<KinesisRecord> records, String stream, ListenerCall call) throws Exception {
        KinesisRecord first = records.get(0);
        Observation observation = KinesisListenerObservation.LISTENER_OBSERVATION.observation(convention,
                DefaultKinesisListenerObservationConvention.INSTANCE, () -> new KinesisListenerObservationContext(
                        records, settings.applicationName(), settings.id(), stream, settings.batch()),
                registry);
        String previousStream = MDC.get(KinesisMdc.STREAM);
        String previousShard = MDC.get(KinesisMdc.SHARD_ID);
        String previousSequence = MDC.get(KinesisMdc.SEQUENCE_NUMBER);
        String previousListener = MDC.get(KinesisMdc.LISTENER_ID);
        MDC.put(KinesisMdc.STREAM, stream);
        MDC.put(KinesisMdc.SHARD_ID, first.shardId());
        MDC.put(KinesisMdc.SEQUENCE_NUMBER, first.sequenceNumber());
        MDC.put(KinesisMdc.LISTENER_ID, settings.id());
        observation.start();
        try (Observation.Scope scope = observation.openScope()) {
            call.run();
        }
        catch (Throwable ex) {
            observation.error(ex);
            throw ex;
        }
        finally {
            observation.stop();
            restore(KinesisMdc.STREAM, previousStream);
            restore(KinesisMdc.SHARD_ID, previousShard);
            restore(KinesisMdc.SEQUENCE_NUMBER, previousSequence);
            restore(KinesisMdc.LISTENER_ID, previousListener);
        }
    }

    private static void restore(String key, @Nullable String previous) {
        if (previous == null) {
            MDC.remove(key);
        }
        else {
            MDC.put(key, previous);
        }
    }
}
