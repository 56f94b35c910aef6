package dev.kclboot.core.aws;

import java.util.Locale;
import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Classifies exceptions of the AWS SDK v2 (Kinesis and DynamoDB alike) by what the engine should do about them, and
 * describes them for logs and error messages without the SDK's stack of wrappers.
 */
public final class AwsFailures {

    private static final Set<String> THROTTLING_CODES = Set.of("ProvisionedThroughputExceededException",
            "RequestLimitExceeded", "ThrottlingException", "Throttling", "LimitExceededException",
            "KMSThrottlingException", "TooManyRequestsException", "SlowDown");

    private static final Set<String> ACCESS_CODES = Set.of("AccessDeniedException", "AccessDenied",
            "KMSAccessDeniedException");

    private static final Set<String> CREDENTIAL_CODES = Set.of("UnrecognizedClientException",
            "InvalidSignatureException", "ExpiredTokenException", "ExpiredToken", "IncompleteSignature",
            "MissingAuthenticationToken", "InvalidClientTokenId", "SignatureDoesNotMatch");

    private static final Set<String> NOT_FOUND_CODES = Set.of("ResourceNotFoundException");

    private AwsFailures() {
    }

    /** What kind of failure this is; anything that is not an SDK service error or client error is INVALID. */
    public static FailureKind kindOf(Throwable failure) {
        if (failure instanceof SdkServiceException service) {
            String code = errorCode(service);
            if (service.isThrottlingException() || THROTTLING_CODES.contains(code) || service.statusCode() == 429) {
                return FailureKind.THROTTLED;
            }
            if (CREDENTIAL_CODES.contains(code)) {
                return FailureKind.CREDENTIALS;
            }
            if (ACCESS_CODES.contains(code) || service.statusCode() == 403) {
                return FailureKind.ACCESS_DENIED;
            }
            if (NOT_FOUND_CODES.contains(code)) {
                return FailureKind.NOT_FOUND;
            }
            if (service.statusCode() >= 500 || service.statusCode() == 0) {
                return FailureKind.TRANSIENT;
            }
            return FailureKind.INVALID;
        }
        if (failure instanceof SdkClientException && isCredentialsLoading(failure)) {
            return FailureKind.CREDENTIALS;
        }
        if (failure instanceof SdkClientException) {
            // Timeouts, connection refused, I/O: the request may not have reached the service, or its answer was lost.
            return FailureKind.TRANSIENT;
        }
        return FailureKind.INVALID;
    }

    /**
     * Whether a client-side failure came from loading credentials (the SDK says "Unable to load credentials", or a
     * profile has none), not from the network.
     */
    private static boolean isCredentialsLoading(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            String message = current.getMessage();
            if (message != null && (message.contains("Unable to load credentials")
                    || message.contains("contained no credentials") || message.contains("Profile file contained no")
                    || message.contains("credentials provider"))) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    /** Whether retrying later can help (throttled or transient). */
    public static boolean isRetryable(Throwable failure) {
        FailureKind kind = kindOf(failure);
        return kind == FailureKind.THROTTLED || kind == FailureKind.TRANSIENT;
    }

    /**
     * The service's error code; for a service exception without one (built by hand, or by an interceptor) its class
     * name, which the SDK names after the code; "" for client-side failures.
     */
    public static String errorCode(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        if (failure instanceof SdkServiceException) {
            return failure.getClass().getSimpleName();
        }
        return "";
    }

    /**
     * A one-line description: the error code and the service's message for service errors, the message for client
     * errors ("Unable to execute HTTP request: Connect to ... failed"), without request ids or stack traces.
     */
    public static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String code = errorCode(aws);
            String message = aws.awsErrorDetails().errorMessage();
            return (code.isEmpty() ? "HTTP " + aws.statusCode() : code) + (message == null ? "" : ": " + message);
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    /** How a failure of this kind reads in a sentence: "was throttled", "was refused (access denied)"... */
    public static String verb(FailureKind kind) {
        return switch (kind) {
            case THROTTLED -> "was throttled";
            case TRANSIENT -> "failed (service unavailable or unreachable)";
            case ACCESS_DENIED -> "was refused (access denied)";
            case CREDENTIALS -> "had no usable credentials";
            case NOT_FOUND -> "found no such resource";
            case INVALID -> "was rejected";
        };
    }

    /** The kind in lower case words, for metrics tags and health details. */
    public static String label(FailureKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
