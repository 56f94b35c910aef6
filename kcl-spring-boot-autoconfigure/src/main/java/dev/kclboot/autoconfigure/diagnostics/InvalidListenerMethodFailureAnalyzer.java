package dev.kclboot.autoconfigure.diagnostics;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.adapter.InvalidKinesisListenerMethodException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@code @KinesisListener} method whose parameters do not fit.
 */
class InvalidListenerMethodFailureAnalyzer extends AbstractFailureAnalyzer<InvalidKinesisListenerMethodException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidKinesisListenerMethodException cause) {
        return new FailureAnalysis("The @KinesisListener method " + cause.getMethodDescription()
                + " cannot be called: " + cause.getReason() + ".",
                "Change the parameters of " + cause.getMethodDescription() + ". A listener method takes one payload "
                        + "(String, byte[], ByteBuffer, a type read from JSON, optionally @Payload @Valid, or a "
                        + "Message<T> of one), and optionally KinesisRecord, KinesisRecordMetadata, "
                        + "@Header(KinesisHeaders...) parameters and the types of your KinesisListenerConfigurer's "
                        + "argument resolvers; a batch listener (batch = \"true\") takes Lists of those "
                        + "(List<T>, List<Message<T>>, List<KinesisRecord>); a Checkpointer is taken with "
                        + "checkpointMode = \"MANUAL\" only.",
                cause);
    }
}
