package dev.kclboot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The default application name: {@code kcl.application-name}, else {@code spring.application.name}.
 */
final class ApplicationNames {

    private ApplicationNames() {
    }

    static @Nullable String defaultApplicationName(KclProperties properties, Environment environment) {
        String name = properties.getApplicationName();
        if (name != null && !name.isBlank()) {
            return name;
        }
        String springName = environment.getProperty("spring.application.name");
        return (springName != null && !springName.isBlank()) ? springName.trim() : null;
    }
}
