package dev.kclboot.sample;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kclboot.test.LocalKinesis;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;

/**
 * Local mode: when no AWS region or endpoint is configured (or {@code sample.local-mode=true}), runs the sample
 * against kinesis-local and dynalite on fixed loopback ports (4567 and 4568 unless {@code sample.local.kinesis-port} /
 * {@code sample.local.dynamodb-port} say otherwise), creates the stream with 4 shards, and points {@code kcl.*} at
 * them. A second copy of the app finds the emulators of the first one already answering and joins them, so the two
 * share the stream's leases. The emulators belong to the copy that started them and stop with it.
 */
public class LocalMode implements EnvironmentPostProcessor, Ordered {

    private static final Logger logger = LoggerFactory.getLogger(LocalMode.class);

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

    private static LocalKinesis startOrJoin(int kinesisPort, int dynamoDbPort) {
        if (kinesisPort > 0 && dynamoDbPort > 0) {
            URI kinesis = URI.create("http://127.0.0.1:" + kinesisPort);
            URI dynamoDb = URI.create("http://127.0.0.1:" + dynamoDbPort);
            if (LocalKinesis.answers(kinesis) && LocalKinesis.answers(dynamoDb)) {
                logger.info("Local mode: joining the emulators already running on {} and {}", kinesis, dynamoDb);
                return LocalKinesis.connect(kinesis, dynamoDb);
            }
        }
        logger.info("Local mode: starting kinesis-local and dynalite (no AWS account needed)");
        return LocalKinesis.builder().ports(kinesisPort, dynamoDbPort).shutdownHook(false).start();
    }

    private static void createStream(LocalKinesis local, String stream) {
        try {
            local.kinesisClient().createStream(request -> request.streamName(stream).shardCount(4));
            logger.info("Local mode: created stream '{}' with 4 shards", stream);
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
