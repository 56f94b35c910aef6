package dev.kclboot.autoconfigure;

import dev.kclboot.core.Worker;

/**
 * Adjusts each {@link Worker} the auto-configured worker factory builds, after the {@code kcl.*} properties were
 * applied. Beans of this type are applied in order.
 */
@FunctionalInterface
public interface KinesisWorkerCustomizer {

    /**
     * @param applicationName the application name the worker is built for
     * @param builder the builder, with the properties applied
     */
    void customize(String applicationName, Worker.Builder builder);
}
