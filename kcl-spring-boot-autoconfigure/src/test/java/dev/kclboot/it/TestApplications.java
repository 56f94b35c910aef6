package dev.kclboot.it;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.kclboot.test.LocalKinesis;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts an application against the emulators outside the Spring TestContext (for tests that restart apps or run
 * several), with the same test timings as {@link ListenerIntegrationTest} and the actuator's health details and
 * {@code kinesis} endpoint exposed.
 */
final class TestApplications {

    static final String FAILOVER = "kcl.lease.failover-time=3s";
    static final String IDLE = "kcl.polling.idle-time-between-reads=200ms";
    static final String FROM_START = "kcl.initial-position=TRIM_HORIZON";
    static final String FAST_RETRY = "kcl.retry.backoff.initial-interval=100ms";
    static final String SHORT_RETRY_CAP = "kcl.retry.backoff.max-interval=500ms";
    static final String SHUTDOWN = "kcl.shutdown-timeout=10s";

    /** Health details and the kinesis endpoint, for the apps that have the actuator. */
    private static final String[] ACTUATOR = { "management.endpoints.web.exposure.include=health,kinesis",
            "management.endpoint.health.show-details=always" };

    private TestApplications() {
    }

    /**
     * Runs {@code app} on the stream with the test timings, then the extra {@code key=value} properties on top.
     */
    static ConfigurableApplicationContext run(Class<?> app, LocalKinesis local, String stream, String application,
            String... extraProperties) {
        Map<String, Object> properties = new LinkedHashMap<>(local.springProperties());
        properties.put("kcl.stream", stream);
        properties.put("kcl.application-name", application);
        for (String property : new String[] { FAILOVER, IDLE, FROM_START, FAST_RETRY, SHORT_RETRY_CAP, SHUTDOWN }) {
            put(properties, property);
        }
        for (String property : ACTUATOR) {
            put(properties, property);
        }
        for (String property : extraProperties) {
            put(properties, property);
        }
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).properties(properties).run();
    }

    private static void put(Map<String, Object> properties, String keyValue) {
        String[] parts = keyValue.split("=", 2);
        properties.put(parts[0], parts[1]);
    }
}
