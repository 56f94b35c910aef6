package dev.kclboot.autoconfigure.diagnostics;

import java.util.List;

import dev.kclboot.spring.listener.container.KinesisWorkerStartException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Explains a worker that could not start because a stream does not exist, naming the stream and the region.
 */
class StreamNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<KinesisWorkerStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KinesisWorkerStartException cause) {
        String messages = AwsErrors.messages(cause.getCause() != null ? cause.getCause() : cause);
        boolean notFound = AwsErrors.find(cause, ResourceNotFoundException.class) != null
                || (messages.contains("not found") || messages.contains("does not exist"))
                        && cause.getStreams().stream().anyMatch(messages::contains);
        if (!notFound) {
            return null;
        }
        List<String> missing = cause.getStreams().stream().filter(messages::contains).toList();
        String streams = missing.isEmpty() ? String.join("', '", cause.getStreams()) : String.join("', '", missing);
        String region = (cause.getRegion() != null) ? cause.getRegion() : "(the SDK's default region)";
        return new FailureAnalysis("The Kinesis stream '" + streams + "' does not exist in region " + region
                + " (application '" + cause.getApplicationName() + "').",
                "Create the stream '" + streams + "' in region " + region + ", or correct the stream on "
                        + "@KinesisListener / kcl.stream, or the region in kcl.region.",
                cause);
    }
}
