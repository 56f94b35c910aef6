package dev.kclboot.spring.support.micrometer;

import dev.kclboot.spring.support.micrometer.KinesisListenerObservation.ListenerHighCardinalityTags;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservation.ListenerLowCardinalityTags;
import io.micrometer.common.KeyValues;

/**
 * The documented convention of {@link KinesisListenerObservation#LISTENER_OBSERVATION}: named {@code kcl.listener},
 * contextually {@code <stream> process}; low-cardinality key values {@code messaging.system} ({@code aws_kinesis}),
 * {@code kcl.application}, {@code kcl.stream} and {@code kcl.listener.id}; high-cardinality {@code kcl.shard.id} and
 * {@code kcl.sequence.number} (of a batch: its first record).
 */
public class DefaultKinesisListenerObservationConvention implements KinesisListenerObservationConvention {

    /** The convention's instance. */
    public static final DefaultKinesisListenerObservationConvention INSTANCE =
            new DefaultKinesisListenerObservationConvention();

    @Override
    public KeyValues getLowCardinalityKeyValues(KinesisListenerObservationContext context) {
        return KeyValues.of(ListenerLowCardinalityTags.MESSAGING_SYSTEM.withValue("aws_kinesis"),
                ListenerLowCardinalityTags.APPLICATION.withValue(context.getApplicationName()),
                ListenerLowCardinalityTags.STREAM.withValue(context.getStream()),
                ListenerLowCardinalityTags.LISTENER_ID.withValue(context.getListenerId()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(KinesisListenerObservationContext context) {
        return KeyValues.of(ListenerHighCardinalityTags.SHARD_ID.withValue(context.getShardId()),
                ListenerHighCardinalityTags.SEQUENCE_NUMBER.withValue(context.getSequenceNumber()));
    }

    @Override
    public String getContextualName(KinesisListenerObservationContext context) {
        return context.getStream() + " process";
    }
}
