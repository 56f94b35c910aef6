package dev.kclboot.spring.support.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name and key values of the observation of a listener delivery; define a bean of this type to replace
 * {@link DefaultKinesisListenerObservationConvention} (extend it to add to its key values).
 */
public interface KinesisListenerObservationConvention extends ObservationConvention<KinesisListenerObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof KinesisListenerObservationContext;
    }

    @Override
    default String getName() {
        return KinesisListenerObservation.LISTENER_OBSERVATION.getName();
    }
}
