package dev.kclboot.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Fails the startup when {@code kcl.shutdown-timeout} does not fit in {@code spring.lifecycle.timeout-per-shutdown-phase}.
 * Spring stops waiting for a lifecycle phase after that timeout and goes on closing the context (the SDK clients
 * with it): a registry stop still running then would neither checkpoint nor release its leases, and records that had
 * succeeded would be delivered again after a restart.
 */
final class ShutdownPhaseCheck {

    static final String SHUTDOWN_TIMEOUT = "kcl.shutdown-timeout";

    static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

    /** Spring Boot's default for {@value #PHASE_TIMEOUT}. */
    static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    private ShutdownPhaseCheck() {
    }

    static void check(Duration shutdownTimeout, Environment environment) {
        Duration phaseTimeout = Binder.get(environment).bind(PHASE_TIMEOUT, Duration.class)
                .orElse(DEFAULT_PHASE_TIMEOUT);
        if (shutdownTimeout.compareTo(phaseTimeout) >= 0) {
            throw new InvalidConfigurationPropertyValueException(SHUTDOWN_TIMEOUT, shutdownTimeout,
                    SHUTDOWN_TIMEOUT + " (" + format(shutdownTimeout) + ") must be shorter than "
                            + PHASE_TIMEOUT + " (" + format(phaseTimeout) + "): Spring stops waiting for the Kinesis listeners after that time, "
                            + "before their leases are released. Lower " + SHUTDOWN_TIMEOUT + " or raise "
                            + PHASE_TIMEOUT);
        }
    }

    /** As the properties are usually written: 45s, 1500ms. */
    private static String format(Duration duration) {
        return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
