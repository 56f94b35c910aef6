package dev.kclboot.autoconfigure.diagnostics;

import java.util.Locale;
import java.util.Set;

import dev.kclboot.spring.listener.container.KinesisWorkerStartException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Explains a worker that could not start because its AWS credentials could not be loaded (unknown profile, no
 * credentials anywhere) or were refused (unknown key, wrong secret, expired token), naming where the credentials
 * came from. Credentials are never shown.
 */
class AwsCredentialsFailureAnalyzer extends AbstractFailureAnalyzer<KinesisWorkerStartException> {

    /** The error codes AWS answers with when it does not accept the credentials of a request. */
    private static final Set<String> REFUSED = Set.of("UnrecognizedClientException", "InvalidSignatureException",
            "IncompleteSignatureException", "IncompleteSignature", "ExpiredTokenException", "ExpiredToken",
            "InvalidClientTokenId", "MissingAuthenticationTokenException", "MissingAuthenticationToken",
            "SignatureDoesNotMatch");

    private final Environment environment;

    AwsCredentialsFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, KinesisWorkerStartException cause) {
        String problem = problem(cause);
        if (problem == null) {
            return null;
        }
        String source = source();
        return new FailureAnalysis("The Kinesis worker of application '" + cause.getApplicationName()
                + "' could not start because of its AWS credentials (" + source + "): " + problem,
                "Check the credentials the application runs with. They come from kcl.credentials.access-key and "
                        + "kcl.credentials.secret-key (plus kcl.credentials.session-token for temporary "
                        + "credentials), or from a profile named by kcl.credentials.profile (in ~/.aws/credentials or "
                        + "~/.aws/config), or else from the AWS SDK's default chain (AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity, a container or instance role); with "
                        + "Spring Cloud AWS, from spring.cloud.aws.credentials.*.",
                cause);
    }

    /** What is wrong with the credentials, or null when the failure is not about them. */
    private static @Nullable String problem(Throwable failure) {
        for (Throwable current : AwsErrors.chain(failure)) {
            if (current instanceof AwsServiceException service && service.awsErrorDetails() != null
                    && REFUSED.contains(service.awsErrorDetails().errorCode())) {
                return service.awsErrorDetails().serviceName() + " refused them ("
                        + service.awsErrorDetails().errorCode() + ": "
                        + AwsErrors.firstSentence(service.awsErrorDetails().errorMessage()) + ")";
            }
            if (current instanceof SdkClientException client && !(current instanceof AwsServiceException)
                    && client.getMessage() != null
                    && client.getMessage().toLowerCase(Locale.ROOT).contains("credentials")) {
                return "they could not be loaded (" + AwsErrors.firstSentence(client.getMessage()) + ")";
            }
        }
        return null;
    }

    private String source() {
        String profile = environment.getProperty("kcl.credentials.profile");
        if (profile != null && !profile.isBlank()) {
            return "profile '" + profile.trim() + "' from kcl.credentials.profile";
        }
        if (environment.getProperty("kcl.credentials.access-key") != null) {
            return "the static keys of kcl.credentials.access-key and kcl.credentials.secret-key";
        }
        if (environment.getProperty("spring.cloud.aws.credentials.access-key") != null
                || environment.getProperty("spring.cloud.aws.credentials.profile.name") != null) {
            return "Spring Cloud AWS, spring.cloud.aws.credentials.*";
        }
        return "the AWS SDK's default credentials chain, as no kcl.credentials.* property is set";
    }
}
