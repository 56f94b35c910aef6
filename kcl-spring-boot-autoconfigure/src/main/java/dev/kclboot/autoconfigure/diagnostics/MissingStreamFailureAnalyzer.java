package dev.kclboot.autoconfigure.diagnostics;

import dev.kclboot.spring.config.MissingStreamException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a listener without a stream.
 */
class MissingStreamFailureAnalyzer extends AbstractFailureAnalyzer<MissingStreamException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingStreamException cause) {
        return new FailureAnalysis("The Kinesis " + cause.getEndpoint() + " has no stream to consume.",
                "Set stream on @KinesisListener (a name or an ARN), or kcl.stream for every listener that names none.",
                cause);
    }
}
