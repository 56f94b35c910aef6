package dev.kclboot.multilang;

import java.io.IOException;
import java.time.Duration;
import java.util.Properties;

import dev.kclboot.core.WorkerStartException;
import dev.kclboot.multilang.child.ChildStartException;
import dev.kclboot.multilang.cli.CommandLine;
import dev.kclboot.multilang.cli.UsageException;
import dev.kclboot.multilang.config.InvalidSettingsException;
import dev.kclboot.multilang.config.MultiLangSettings;
import dev.kclboot.multilang.config.PropertiesFileLoader;
import dev.kclboot.multilang.config.SettingsReader;
import dev.kclboot.multilang.host.Host;
import dev.kclboot.multilang.logging.LogbackConfiguration;
import dev.kclboot.multilang.management.ManagementServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingRegistryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command-line entry point, a drop-in for the KCL's {@code MultiLangDaemon}:
 * {@code java -jar kcl-multilang.jar app.properties} (or {@code -p app.properties}). Reads the properties file,
 * starts the host, and on SIGTERM / Ctrl-C stops it gracefully within {@code shutdownGraceMillis}. Exit code 2 for a
 * wrong command line or properties file, 1 when the host cannot start, 0 after a stop.
 */
public final class MultiLangHost {

    private static final Logger logger = LoggerFactory.getLogger(MultiLangHost.class);

    private MultiLangHost() {
    }

    public static void main(String[] args) {
        Running running;
        try {
            CommandLine commandLine = CommandLine.parse(args);
            if (commandLine.help()) {
                System.out.println(CommandLine.USAGE);
                return;
            }
            running = launch(commandLine);
        }
        catch (UsageException ex) {
            System.err.println(ex.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        catch (InvalidSettingsException | IllegalArgumentException ex) {
            logger.error("{}", ex.getMessage());
            System.exit(2);
            return;
        }
        catch (ChildStartException | WorkerStartException ex) {
            logger.error("The host cannot start: {}", ex.getMessage());
            System.exit(1);
            return;
        }
        catch (IOException ex) {
            logger.error("The management server cannot start: {}", ex.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "kcl-multilang-shutdown"));
        running.host().awaitStopped();
    }

    /**
     * Starts a host as {@link #main} does, without the shutdown hook: for tests and embedding.
     * @throws InvalidSettingsException when the properties file is missing or wrong
     * @throws ChildStartException when the record processor cannot be found
     * @throws WorkerStartException when the stream or the lease table cannot be used
     * @throws IOException when the management server cannot bind its port
     */
    public static Running launch(CommandLine commandLine) throws IOException {
        if (commandLine.logConfiguration() != null) {
            LogbackConfiguration.apply(commandLine.logConfiguration());
        }
        Properties properties = PropertiesFileLoader.load(commandLine.propertiesFile());
        MultiLangSettings settings = new SettingsReader(logger::warn, logger::info).read(properties);
        // The simple registry keeps cumulative values for the metrics endpoint; the logging one (a step registry)
        // only sees what it logs, so it is fed through a composite and never read.
        SimpleMeterRegistry cumulative = new SimpleMeterRegistry();
        MeterRegistry registry = registry(cumulative, commandLine.logMetricsEvery());
        Host host = Host.start(settings, registry);
        ManagementServer management = null;
        if (commandLine.managementPort() != null) {
            try {
                management = ManagementServer.start(host, cumulative, commandLine.managementAddress(),
                        commandLine.managementPort());
            }
            catch (IOException ex) {
                host.stop();
                throw ex;
            }
        }
        return new Running(host, management, registry, cumulative);
    }

    private static MeterRegistry registry(SimpleMeterRegistry cumulative, @Nullable Duration logEvery) {
        if (logEvery == null) {
            return cumulative;
        }
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(cumulative);
        composite.add(LoggingMeterRegistry.builder(new LoggingRegistryConfig() {
            @Override
            public @Nullable String get(String key) {
                return null;
            }

            @Override
            public Duration step() {
                return logEvery;
            }
        }).loggingSink(line -> LoggerFactory.getLogger("dev.kclboot.multilang.metrics").info(line)).build());
        return composite;
    }

    /**
     * A launched host with its management server.
     * @param host the host
     * @param management the management server, else null
     * @param registry the meters the host records to
     * @param cumulative the meters with their values since the start (what the metrics endpoint reads)
     */
    public record Running(Host host, @Nullable ManagementServer management, MeterRegistry registry,
            SimpleMeterRegistry cumulative) {

        /** Stops the host gracefully, then the management server and the meters. */
        public void stop() {
            try {
                host.stop();
            }
            finally {
                if (management != null) {
                    management.close();
                }
                registry.close();
                cumulative.close();
            }
        }
    }
}
