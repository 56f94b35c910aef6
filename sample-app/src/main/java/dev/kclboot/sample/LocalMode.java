package dev.kclboot.sample;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kclboot.test.LocalKinesis;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;

/**
 * Local mode: when no AWS region or endpoint is configured (or {@code sample.local-mode=true}), runs the sample
 * against kinesis-local and dynalite on fixed loopback ports (4567 and 4568 unless {@code sample.local.kinesis-port} /
 * {@code sample.local.dynamodb-port} say otherwise), creates the stream with 4 shards, and points {@code kcl.*} at
 * them. A second copy of the app finds the emulators of the first one already answering and joins them, so the two
 * share the stream's leases. The emulators belong to the copy that started them and stop with it. A port that is
 * taken by something else fails the start with {@link LocalPortsInUseException}, which names the port and the
 * property that moves it.
 */
public class LocalMode implements EnvironmentPostProcessor, Ordered {

    /**
     * Deferred: this runs before the logging system is set up, so a plain logger's lines would be lost; these are
     * replayed once logging is ready.
     */
    private final Log logger;

    public LocalMode(DeferredLogFactory logFactory) {
        this.logger = logFactory.getLog(LocalMode.class);
    }

    private static volatile @Nullable LocalKinesis current;

    /** The emulators of this run, if local mode is on. */
    static @Nullable LocalKinesis current() {
        return current;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!isWanted(environment)) {
            return;
        }
        int kinesisPort = environment.getProperty("sample.local.kinesis-port", Integer.class, 4567);
        int dynamoDbPort = environment.getProperty("sample.local.dynamodb-port", Integer.class, 4568);
        LocalKinesis local = current;
        if (local == null || !local.isRunning()) {
            local = startOrJoin(kinesisPort, dynamoDbPort);
            current = local;
        }
        String stream = environment.getProperty("sample.stream", "words");
        createStream(local, stream);
        Map<String, Object> properties = new LinkedHashMap<>(local.springProperties());
        properties.put("kcl.initial-position", "TRIM_HORIZON");
        properties.put("sample.local.active", "true");
        environment.getPropertySources().addFirst(new MapPropertySource("sampleLocalMode", properties));
    }

    private static boolean isWanted(ConfigurableEnvironment environment) {
        String mode = environment.getProperty("sample.local-mode", "auto");
        if (!"auto".equalsIgnoreCase(mode)) {
            return Boolean.parseBoolean(mode);
        }
        return environment.getProperty("kcl.region") == null && environment.getProperty("kcl.endpoint.kinesis") == null
                && environment.getProperty("AWS_REGION") == null && environment.getProperty("aws.region") == null;
    }

    private LocalKinesis startOrJoin(int kinesisPort, int dynamoDbPort) {
        boolean kinesisTaken = LocalPorts.isTaken(kinesisPort);
        boolean dynamoDbTaken = LocalPorts.isTaken(dynamoDbPort);
        if (kinesisTaken && dynamoDbTaken) {
            URI kinesis = URI.create("http://127.0.0.1:" + kinesisPort);
            URI dynamoDb = URI.create("http://127.0.0.1:" + dynamoDbPort);
            if (LocalKinesis.answers(kinesis) && LocalKinesis.answers(dynamoDb)) {
                logger.info("Local mode: joining the emulators already running on " + kinesis + " and " + dynamoDb
                        + " (another copy of the sample started them)");
                return LocalKinesis.connect(kinesis, dynamoDb);
            }
        }
        if (kinesisTaken || dynamoDbTaken) {
            throw new LocalPortsInUseException(kinesisTaken ? kinesisPort : null, dynamoDbTaken ? dynamoDbPort : null);
        }
        logger.info("Local mode: starting kinesis-local on port " + kinesisPort + " and dynalite on port "
                + dynamoDbPort + " (no AWS account needed; the first run installs them with npm)");
        return LocalKinesis.builder().ports(kinesisPort, dynamoDbPort).shutdownHook(false).start();
    }

    private void createStream(LocalKinesis local, String stream) {
        try {
            local.kinesisClient().createStream(request -> request.streamName(stream).shardCount(4));
            logger.info("Local mode: created stream '" + stream + "' with 4 shards on " + local.kinesisEndpoint());
        }
        catch (ResourceInUseException ex) {
            // Created by the first copy of the app.
        }
        local.awaitStreamActive(stream, Duration.ofSeconds(30));
    }

    /** After the config files are read, so {@code application.yml} can turn local mode off. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
