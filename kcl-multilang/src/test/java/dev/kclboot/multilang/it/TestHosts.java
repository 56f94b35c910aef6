package dev.kclboot.multilang.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.kclboot.multilang.MultiLangHost;
import dev.kclboot.multilang.cli.CommandLine;
import dev.kclboot.test.LocalKinesis;

/**
 * Starts hosts in this JVM the way {@code java -jar kcl-multilang.jar app.properties} does (a properties file on
 * disk, the real command line, {@code AwsCredentialsProvider = DefaultCredentialsProvider} reading the dummy
 * {@code aws.accessKeyId} the build sets), and stops whatever is still running at the end.
 */
final class TestHosts implements AutoCloseable {

    /** The test processor, run with the python3 on the PATH. */
    static final Path PYTHON_PROCESSOR = Path.of("src/test/python/record_processor.py").toAbsolutePath();

    private final LocalKinesis local;

    private final Path directory;

    private final List<MultiLangHost.Running> running = new ArrayList<>();

    private int files;

    TestHosts(LocalKinesis local, Path directory) {
        this.local = local;
        this.directory = directory;
    }

    /** The KCL properties of a host on the emulators, with fast timings; the caller adds or overrides keys. */
    Map<String, String> properties(String application, String stream, String executableName) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("executableName", executableName);
        properties.put("applicationName", application);
        properties.put("streamName", stream);
        properties.put("regionName", local.region().id());
        properties.put("kinesisEndpoint", local.kinesisEndpoint().toString());
        properties.put("dynamoDBEndpoint", local.dynamoDbEndpoint().toString());
        properties.put("AwsCredentialsProvider", "DefaultCredentialsProvider");
        properties.put("initialPositionInStream", "TRIM_HORIZON");
        properties.put("idleTimeBetweenReadsInMillis", "100");
        properties.put("failoverTimeMillis", "1500");
        properties.put("shardSyncIntervalMillis", "1000");
        properties.put("processingLanguage", "python/3");
        return properties;
    }

    /** The command line of the Python test processor writing to the events file. */
    static String python(Path events, ProcessorStyle style, String... options) {
        StringBuilder command = new StringBuilder("python3 ").append(PYTHON_PROCESSOR).append(" --events ")
                .append(events).append(" --style ").append(style.argument());
        for (String option : options) {
            command.append(' ').append(option);
        }
        return command.toString();
    }

    /** Writes the properties file and starts a host on it. */
    MultiLangHost.Running start(Map<String, String> properties, String... extraArguments) {
        Path file = write(properties);
        List<String> args = new ArrayList<>(List.of(file.toString()));
        args.addAll(List.of(extraArguments));
        try {
            MultiLangHost.Running host = MultiLangHost.launch(CommandLine.parse(args.toArray(String[]::new)));
            running.add(host);
            return host;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Writes a properties file (key = value lines) and returns its path. */
    Path write(Map<String, String> properties) {
        Path file = directory.resolve("app-" + (++files) + ".properties");
        String text = properties.entrySet().stream().map(entry -> entry.getKey() + " = " + entry.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.writeString(file, text);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return file;
    }

    @Override
    public void close() {
        for (MultiLangHost.Running host : running) {
            host.stop();
        }
    }
}
