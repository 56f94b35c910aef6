package dev.kclboot.autoconfigure.diagnostics;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import dev.kclboot.spring.listener.container.KinesisWorkerStartException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Explains a worker that could not start because the Kinesis or the DynamoDB endpoint does not answer (connection
 * refused, unknown host, timeout), naming the endpoint and the property that sets it.
 */
class EndpointUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<KinesisWorkerStartException> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, KinesisWorkerStartException cause) {
        Throwable network = networkFailure(cause);
        if (network == null) {
            return null;
        }
        boolean dynamoDb = "dynamodb".equals(AwsErrors.service(cause));
        String service = dynamoDb ? "DynamoDB" : "Kinesis";
        String endpoint = dynamoDb ? cause.getDynamoDbEndpoint() : cause.getKinesisEndpoint();
        String property = dynamoDb ? "kcl.endpoint.dynamodb" : "kcl.endpoint.kinesis";
        String region = (cause.getRegion() != null) ? cause.getRegion() : "(the SDK's default region)";
        return new FailureAnalysis("The Kinesis worker of application '" + cause.getApplicationName()
                + "' could not reach " + service + " at " + endpoint + " (region " + region + "): "
                + network.getClass().getSimpleName() + ": " + AwsErrors.firstSentence(network.getMessage()),
                "Check that " + endpoint + " is up and reachable from this host, or correct " + property
                        + " (it overrides the endpoint; without it the AWS endpoint of kcl.region is used). For the "
                        + "local emulators it is e.g. http://localhost:" + (dynamoDb ? "4568" : "4567")
                        + "; with Spring Cloud AWS also check spring.cloud.aws.endpoint.",
                cause);
    }

    /** The network error under an SDK client exception (not an answer from AWS), or null. */
    private static @Nullable Throwable networkFailure(Throwable failure) {
        if (AwsErrors.find(failure, AwsServiceException.class) != null
                || AwsErrors.find(failure, SdkClientException.class) == null) {
            return null;
        }
        for (Throwable current : AwsErrors.chain(failure)) {
            if (current instanceof ConnectException || current instanceof UnknownHostException
                    || current instanceof NoRouteToHostException || current instanceof SocketTimeoutException
                    || current.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return current;
            }
        }
        return null;
    }
}
