package dev.kclboot.autoconfigure.diagnostics;

import dev.kclboot.spring.config.MissingApplicationNameException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a listener without an application name.
 */
class MissingApplicationNameFailureAnalyzer extends AbstractFailureAnalyzer<MissingApplicationNameException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingApplicationNameException cause) {
        return new FailureAnalysis("The Kinesis " + cause.getEndpoint() + " has no application name. The application "
                + "name names the DynamoDB lease table that holds the checkpoints, and groups the instances that "
                + "share the stream's shards.",
                "Set kcl.application-name (or spring.application.name), or applicationName on @KinesisListener.",
                cause);
    }
}
