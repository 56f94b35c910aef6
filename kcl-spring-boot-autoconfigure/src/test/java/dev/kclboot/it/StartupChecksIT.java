package dev.kclboot.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Real applications that must not start, and the startup report each one prints: a shutdown timeout that does not
 * fit in the lifecycle phase, a session token without keys, credentials that cannot be loaded, and a Kinesis or
 * DynamoDB endpoint that does not answer.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupChecksIT {

    private final LocalKinesis local = LocalKinesis.shared();

    @Test
    void aShutdownTimeoutLongerThanTheShutdownPhaseNamesBothProperties(CapturedOutput output) {
        assertFailsToStart(connected(), "kcl.shutdown-timeout=45s");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("kcl.shutdown-timeout (45s) must be shorter than "
                        + "spring.lifecycle.timeout-per-shutdown-phase (30s)")
                .contains("Lower kcl.shutdown-timeout or raise spring.lifecycle.timeout-per-shutdown-phase");
    }

    @Test
    void aShutdownTimeoutWithinARaisedShutdownPhaseStarts() {
        Map<String, Object> properties = connected();
        properties.put("kcl.shutdown-timeout", "45s");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "50s");
        properties.put("kcl.stream", local.createStream(1));
        properties.put("kcl.application-name", LocalKinesis.uniqueName("app"));
        new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run().close();
    }

    @Test
    void aSessionTokenWithoutTheKeysIsRejected(CapturedOutput output) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("kcl.region", "us-east-1");
        assertFailsToStart(properties, "kcl.credentials.session-token=IQoJb3JpZ2luX2VjEXAMPLE");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("kcl.credentials.session-token needs "
                + "kcl.credentials.access-key and kcl.credentials.secret-key");
        assertThat(output).doesNotContain("IQoJb3JpZ2luX2VjEXAMPLE");
    }

    @Test
    void anUnknownProfileIsReportedAsACredentialsProblem(CapturedOutput output) {
        String profile = LocalKinesis.uniqueName("no-such-profile");
        Map<String, Object> properties = connected();
        properties.remove("kcl.credentials.access-key");
        properties.remove("kcl.credentials.secret-key");
        assertFailsToStart(properties, "kcl.credentials.profile=" + profile);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("could not start because of its AWS credentials (profile '" + profile
                        + "' from kcl.credentials.profile): they could not be loaded")
                .contains("Check the credentials the application runs with")
                .doesNotContain("Could not reach Kinesis in region us-east-1 to describe stream '");
    }

    @Test
    void anUnreachableKinesisEndpointIsNamedWithItsProperty(CapturedOutput output) throws IOException {
        String endpoint = "http://127.0.0.1:" + closedPort();
        assertFailsToStart(connected(), "kcl.endpoint.kinesis=" + endpoint);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("could not reach Kinesis at " + endpoint + " (region us-east-1)")
                .contains("or correct kcl.endpoint.kinesis");
    }

    @Test
    void anUnreachableDynamoDbEndpointIsNamedWithItsProperty(CapturedOutput output) throws IOException {
        String endpoint = "http://127.0.0.1:" + closedPort();
        assertFailsToStart(connected(), "kcl.endpoint.dynamodb=" + endpoint);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("could not reach DynamoDB at " + endpoint + " (region us-east-1)")
                .contains("or correct kcl.endpoint.dynamodb");
    }

    /** The emulators' connection properties, a stream and an application name. */
    private Map<String, Object> connected() {
        Map<String, Object> properties = new LinkedHashMap<>(local.springProperties());
        properties.put("kcl.stream", local.createStream(1));
        properties.put("kcl.application-name", LocalKinesis.uniqueName("app"));
        return properties;
    }

    private static void assertFailsToStart(Map<String, Object> properties, String keyValue) {
        String[] parts = keyValue.split("=", 2);
        properties.put(parts[0], parts[1]);
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(properties).run());
    }

    /** A loopback port nothing listens on (bound, then closed), so connecting is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Object listener() {
            return new Object() {

                @KinesisListener
                void onRecord(String payload) {
                }
            };
        }
    }
}
