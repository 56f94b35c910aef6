package dev.kclboot.multilang.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * The host's arguments: the daemon's ({@code [-p|--properties-file] FILE}, or the file as the only positional
 * argument; {@code -l|--log-configuration logback.xml}) and this host's own ({@code --management-port N},
 * {@code --management-address A}, {@code --log-metrics DURATION}).
 * @param propertiesFile the KCL properties file (classpath first, then file system)
 * @param logConfiguration a logback configuration file, else null for the built-in one
 * @param managementPort the port of the health and metrics server, else null for none
 * @param managementAddress the address it binds
 * @param logMetricsEvery how often the meters are logged, else null for never
 * @param help whether usage was asked for
 */
public record CommandLine(String propertiesFile, @Nullable Path logConfiguration, @Nullable Integer managementPort,
        String managementAddress, @Nullable Duration logMetricsEvery, boolean help) {

    public static final String USAGE = """
            Usage: java -jar kcl-multilang.jar [-p|--properties-file] app.properties [options]
              -p, --properties-file FILE   the KCL MultiLang properties file (classpath first, then file system)
              -l, --log-configuration FILE a logback.xml for the host's log
              --management-port N          serve /actuator/health, /actuator/kinesis and /actuator/metrics on port N
              --management-address ADDR    the address that server binds (default 0.0.0.0)
              --log-metrics DURATION       log the meters every DURATION (e.g. 60s, PT1M)
              -h, --help                   this text""";

    /**
     * @throws UsageException naming what is wrong
     */
    public static CommandLine parse(String... args) {
        String properties = null;
        Path log = null;
        Integer port = null;
        String address = "0.0.0.0";
        Duration logMetrics = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return new CommandLine("", null, null, address, null, true);
                }
                case "-p", "--properties-file" -> properties = once(properties, value(args, ++i, arg), arg);
                case "-l", "--log-configuration" -> log = Path.of(value(args, ++i, arg));
                case "--management-port" -> port = port(value(args, ++i, arg));
                case "--management-address" -> address = value(args, ++i, arg);
                case "--log-metrics" -> logMetrics = duration(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("Unknown option " + arg);
                    }
                    properties = once(properties, arg, "the properties file");
                }
            }
        }
        if (properties == null) {
            throw new UsageException("No properties file given");
        }
        return new CommandLine(properties, log, port, address, logMetrics, false);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static String once(@Nullable String previous, String value, String what) {
        if (previous != null) {
            throw new UsageException("Only one properties file can be given (" + what + ": " + previous + " and "
                    + value + ")");
        }
        return value;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        }
        catch (NumberFormatException ex) {
            throw new UsageException("--management-port must be a port number (0 for any free port), was " + value);
        }
    }

    private static Duration duration(String value) {
        try {
            if (value.matches("\\d+s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.matches("\\d+m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            Duration duration = Duration.parse(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new DateTimeParseException("not positive", value, 0);
            }
            return duration;
        }
        catch (DateTimeParseException ex) {
            throw new UsageException("--log-metrics must be a positive duration such as 60s, 5m or PT1M, was " + value);
        }
    }
}
