package dev.kclboot.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Explains SDK clients that could not be built because no region is configured anywhere.
 */
class MissingRegionFailureAnalyzer extends AbstractFailureAnalyzer<SdkClientException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SdkClientException cause) {
        if (cause.getMessage() == null || !cause.getMessage().contains("Unable to load region")) {
            return null;
        }
        return new FailureAnalysis("The Kinesis and DynamoDB clients have no AWS region: kcl.region is not set and "
                + "the SDK found none (AWS_REGION, aws.region, the profile).",
                "Set kcl.region (e.g. kcl.region=eu-west-1) or the AWS_REGION environment variable.", cause);
    }
}
