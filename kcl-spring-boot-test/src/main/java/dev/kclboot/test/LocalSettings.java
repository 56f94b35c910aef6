package dev.kclboot.test;

import java.nio.file.Path;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Reads the knobs of the local emulators from system properties first, then environment variables.
 * <ul>
 * <li>{@code kcl.test.node} / {@code KCL_TEST_NODE}: the {@code node} binary (default: {@code node} on the PATH).</li>
 * <li>{@code kcl.test.emulators-home} / {@code KCL_TEST_EMULATORS_HOME}: where the npm packages are installed
 * (default: {@code ~/.cache/kcl-spring-boot/emulators}).</li>
 * <li>{@code kcl.test.kinesis-endpoint} / {@code KCL_TEST_KINESIS_ENDPOINT} and {@code kcl.test.dynamodb-endpoint} /
 * {@code KCL_TEST_DYNAMODB_ENDPOINT}: already-running endpoints; when both are set no process is started and
 * Node.js is not needed.</li>
 * </ul>
 */
final class LocalSettings {

    static final String NODE = "kcl.test.node";
    static final String EMULATORS_HOME = "kcl.test.emulators-home";
    static final String KINESIS_ENDPOINT = "kcl.test.kinesis-endpoint";
    static final String DYNAMODB_ENDPOINT = "kcl.test.dynamodb-endpoint";

    private LocalSettings() {
    }

    static @Nullable String get(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentName(property));
        }
        return (value == null || value.isBlank()) ? null : value.trim();
    }

    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Path emulatorsHome() {
        String configured = get(EMULATORS_HOME);
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "kcl-spring-boot", "emulators");
    }
}
