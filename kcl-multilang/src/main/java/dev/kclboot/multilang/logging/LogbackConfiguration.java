package dev.kclboot.multilang.logging;

import java.nio.file.Files;
import java.nio.file.Path;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * Replaces the built-in log configuration with a logback.xml given by {@code -l}, as the daemon's
 * {@code --log-configuration} does.
 */
public final class LogbackConfiguration {

    private LogbackConfiguration() {
    }

    /**
     * @throws IllegalArgumentException when the file is missing or not a valid logback configuration
     */
    public static void apply(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("The log configuration " + file.toAbsolutePath() + " does not exist");
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalArgumentException("The log is not logback; -l needs logback-classic");
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            configurator.doConfigure(file.toFile());
        }
        catch (JoranException ex) {
            throw new IllegalArgumentException("The log configuration " + file + " is not valid: " + ex.getMessage(), ex);
        }
    }
}
