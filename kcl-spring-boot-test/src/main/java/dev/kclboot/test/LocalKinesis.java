package dev.kclboot.test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A local Kinesis and DynamoDB, running as child processes of this JVM on free loopback ports: kinesis-local (or
 * kinesalite) and dynalite from npm, installed on first use. Exposes the endpoints, a region, dummy static
 * credentials and ready-made SDK v2 clients; creates streams and waits until they are ACTIVE.
 * <p>
 * {@link #close()} stops both processes and waits until they are gone; a JVM shutdown hook does the same, and the
 * processes also exit by themselves if this JVM is killed. {@link #shared()} is one instance per JVM for tests;
 * give each test its own stream ({@link #createStream(int)}) and table names ({@link #uniqueName(String)}).
 * <p>
 * When {@code kcl.test.kinesis-endpoint} and {@code kcl.test.dynamodb-endpoint} (or the environment variables
 * {@code KCL_TEST_KINESIS_ENDPOINT} and {@code KCL_TEST_DYNAMODB_ENDPOINT}) are set, nothing is started and
 * those endpoints are used.
 */
public final class LocalKinesis implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(LocalKinesis.class);

    /** The region every local client uses; the emulators accept any. */
    public static final Region REGION = Region.US_EAST_1;

    /** Dummy access key id: the SDK signs requests, the emulators do not check them. */
    public static final String ACCESS_KEY_ID = "local";

    /** Dummy secret access key (not a secret: the emulators accept anything). */
    public static final String SECRET_ACCESS_KEY = "local";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static @Nullable LocalKinesis shared;

    private final @Nullable EmulatorProcess kinesis;

    private volatile @Nullable EmulatorProcess dynamoDb;

    private final java.util.function.@Nullable Supplier<EmulatorProcess> dynamoDbStarter;

    private final URI kinesisEndpoint;

    private final URI dynamoDbEndpoint;

    private final KinesisBackend backend;

    private final Thread shutdownHook;

    private final boolean registerHook;

    private @Nullable KinesisClient kinesisClient;

    private @Nullable DynamoDbClient dynamoDbClient;

    private volatile boolean closed;

    private LocalKinesis(@Nullable EmulatorProcess kinesis, @Nullable EmulatorProcess dynamoDb,
            java.util.function.@Nullable Supplier<EmulatorProcess> dynamoDbStarter, URI kinesisEndpoint,
            URI dynamoDbEndpoint, KinesisBackend backend, boolean shutdownHook) {
        this.kinesis = kinesis;
        this.dynamoDb = dynamoDb;
        this.dynamoDbStarter = dynamoDbStarter;
        this.registerHook = shutdownHook;
        this.kinesisEndpoint = kinesisEndpoint;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.backend = backend;
        this.shutdownHook = new Thread(this::stopProcesses, "local-kinesis-shutdown");
        if (shutdownHook) {
            Runtime.getRuntime().addShutdownHook(this.shutdownHook);
        }
    }

    /** Starts kinesis-local and dynalite with the defaults. */
    public static LocalKinesis start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The instance shared by every test of this JVM, started on first use and stopped when the JVM exits.
     */
    public static synchronized LocalKinesis shared() {
        LocalKinesis current = shared;
        if (current == null || current.closed) {
            current = start();
            shared = current;
        }
        return current;
    }

    /** Uses emulators that are already running (started by another process); {@link #close()} leaves them running. */
    public static LocalKinesis connect(URI kinesisEndpoint, URI dynamoDbEndpoint) {
        return new LocalKinesis(null, null, null, kinesisEndpoint, dynamoDbEndpoint, KinesisBackend.KINESIS_LOCAL, false);
    }

    /** Whether something answers HTTP at the endpoint (an emulator that is up, e.g. started by another process). */
    public static boolean answers(URI endpoint) {
        return EmulatorProcess.answers(endpoint);
    }

    /** A name no other test of this JVM (or another JVM) uses: {@code prefix-<n>-<random>}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public URI kinesisEndpoint() {
        return kinesisEndpoint;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public Region region() {
        return REGION;
    }

    public KinesisBackend backend() {
        return backend;
    }

    public AwsCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    /** Points any SDK v2 client builder (sync or async, Kinesis or DynamoDB) at this instance's region and credentials. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(REGION).credentialsProvider(credentialsProvider());
    }

    /** A Kinesis client for this instance, created once and closed with it. */
    public synchronized KinesisClient kinesisClient() {
        KinesisClient client = kinesisClient;
        if (client == null) {
            client = newKinesisClient();
            kinesisClient = client;
        }
        return client;
    }

    /** A DynamoDB client for this instance, created once and closed with it. */
    public synchronized DynamoDbClient dynamoDbClient() {
        DynamoDbClient client = dynamoDbClient;
        if (client == null) {
            client = newDynamoDbClient();
            dynamoDbClient = client;
        }
        return client;
    }

    /** A new Kinesis client that the caller owns and closes. */
    public KinesisClient newKinesisClient() {
        return configure(KinesisClient.builder(), kinesisEndpoint)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(128)).build();
    }

    /** A new DynamoDB client that the caller owns and closes. */
    public DynamoDbClient newDynamoDbClient() {
        return configure(DynamoDbClient.builder(), dynamoDbEndpoint)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(128)).build();
    }

    /** Creates a stream with a unique name and the given number of shards, and waits until it is ACTIVE. */
    public String createStream(int shardCount) {
        return createStream(uniqueName("stream"), shardCount);
    }

    /** Creates the stream and waits until it is ACTIVE; returns its name. */
    public String createStream(String streamName, int shardCount) {
        kinesisClient().createStream(request -> request.streamName(streamName).shardCount(shardCount));
        awaitStreamActive(streamName, Duration.ofSeconds(30));
        return streamName;
    }

    /** Waits until the stream exists and is ACTIVE (after creation or resharding). */
    public void awaitStreamActive(String streamName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                StreamStatus status = kinesisClient()
                        .describeStreamSummary(request -> request.streamName(streamName))
                        .streamDescriptionSummary().streamStatus();
                if (status == StreamStatus.ACTIVE) {
                    return;
                }
            }
            catch (ResourceNotFoundException ex) {
                // Not visible yet.
            }
            if (System.nanoTime() > deadline) {
                throw new EmulatorException("Stream " + streamName + " was not ACTIVE within " + timeout);
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new EmulatorException("Interrupted while waiting for stream " + streamName, ex);
            }
        }
    }

    /**
     * The {@code kcl.*} properties that point a kcl-spring-boot application at this instance.
     */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("kcl.region", REGION.id());
        properties.put("kcl.endpoint.kinesis", kinesisEndpoint.toString());
        properties.put("kcl.endpoint.dynamodb", dynamoDbEndpoint.toString());
        properties.put("kcl.credentials.access-key", ACCESS_KEY_ID);
        properties.put("kcl.credentials.secret-key", SECRET_ACCESS_KEY);
        return properties;
    }

    /** The PID of the Kinesis emulator, empty when external endpoints are used. */
    public OptionalLong kinesisPid() {
        return kinesis == null ? OptionalLong.empty() : OptionalLong.of(kinesis.pid());
    }

    /** The PID of the DynamoDB emulator, empty when external endpoints are used. */
    public OptionalLong dynamoDbPid() {
        return dynamoDb == null ? OptionalLong.empty() : OptionalLong.of(dynamoDb.pid());
    }

    /**
     * Stops the DynamoDB emulator (the Kinesis one keeps running), to test how consumers behave when DynamoDB is
     * unreachable. Its data survives only when built with {@link Builder#persistentDynamoDb(boolean)}.
     */
    public synchronized void stopDynamoDb() {
        EmulatorProcess current = dynamoDb;
        if (current != null) {
            current.stop();
        }
    }

    /**
     * Starts the DynamoDB emulator again on the same port after {@link #stopDynamoDb()}.
     * @throws IllegalStateException unless built with {@link Builder#persistentDynamoDb(boolean)}
     */
    public synchronized void restartDynamoDb() {
        if (dynamoDbStarter == null) {
            throw new IllegalStateException("restartDynamoDb() needs LocalKinesis.builder().persistentDynamoDb(true)");
        }
        stopDynamoDb();
        dynamoDb = dynamoDbStarter.get();
    }

    public boolean isRunning() {
        return !closed && (kinesis == null || kinesis.isAlive()) && (dynamoDb == null || dynamoDb.isAlive());
    }

    /** Closes the clients and stops both processes; returns once they are gone. */
    @Override
    public void close() {
        stopProcesses();
        if (registerHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (IllegalStateException ex) {
                // The JVM is already shutting down; the hook runs anyway.
            }
        }
    }

    private synchronized void stopProcesses() {
        if (closed) {
            return;
        }
        closed = true;
        KinesisClient kinesisClient = this.kinesisClient;
        if (kinesisClient != null) {
            kinesisClient.close();
        }
        DynamoDbClient dynamoDbClient = this.dynamoDbClient;
        if (dynamoDbClient != null) {
            dynamoDbClient.close();
        }
        if (kinesis != null) {
            kinesis.stop();
        }
        if (dynamoDb != null) {
            dynamoDb.stop();
        }
    }

    /**
     * Options for a {@link LocalKinesis}.
     */
    public static final class Builder {

        private KinesisBackend backend = KinesisBackend.KINESIS_LOCAL;

        private @Nullable String node;

        private Duration stateChangeDuration = Duration.ofMillis(10);

        private int shardLimit = 500;

        private boolean persistentDynamoDb;

        private int kinesisPort;

        private int dynamoDbPort;

        private boolean shutdownHook = true;

        private Builder() {
        }

        /** Which emulator serves Kinesis (default kinesis-local). */
        public Builder backend(KinesisBackend backend) {
            this.backend = backend;
            return this;
        }

        /** The {@code node} binary (default: {@code kcl.test.node}, {@code KCL_TEST_NODE}, else the PATH). */
        public Builder node(String node) {
            this.node = node;
            return this;
        }

        /** How long a stream stays CREATING/UPDATING/DELETING (default 10 ms; the emulators' own default is 500 ms). */
        public Builder stateChangeDuration(Duration stateChangeDuration) {
            this.stateChangeDuration = stateChangeDuration;
            return this;
        }

        /**
         * The most open shards the Kinesis emulator allows over all its streams (default 500: one instance serves a
         * whole test JVM, and tests do not delete their streams).
         */
        public Builder shardLimit(int shardLimit) {
            this.shardLimit = shardLimit;
            return this;
        }

        /**
         * Keeps DynamoDB's data on disk (slower) so that {@link LocalKinesis#restartDynamoDb()} brings it back with
         * its tables (default false: in memory).
         */
        public Builder persistentDynamoDb(boolean persistentDynamoDb) {
            this.persistentDynamoDb = persistentDynamoDb;
            return this;
        }

        /** Fixed loopback ports instead of free ones (0 = any free port), e.g. for a local run others join. */
        public Builder ports(int kinesisPort, int dynamoDbPort) {
            this.kinesisPort = kinesisPort;
            this.dynamoDbPort = dynamoDbPort;
            return this;
        }

        /**
         * Whether a JVM shutdown hook stops the emulators (default true). Turn it off when something else closes
         * the instance in order, e.g. a Spring context whose consumers must release their leases first; the
         * emulators still exit with the JVM.
         */
        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        /** Starts both emulators (or connects to the configured external endpoints) and waits until they answer. */
        public LocalKinesis start() {
            String externalKinesis = LocalSettings.get(LocalSettings.KINESIS_ENDPOINT);
            String externalDynamoDb = LocalSettings.get(LocalSettings.DYNAMODB_ENDPOINT);
            if (externalKinesis != null && externalDynamoDb != null && node == null) {
                logger.info("Using external Kinesis {} and DynamoDB {}", externalKinesis, externalDynamoDb);
                return connect(URI.create(externalKinesis), URI.create(externalDynamoDb));
            }
            if (backend == KinesisBackend.KINESALITE && !"false".equals(System.getProperty("aws.cborEnabled"))) {
                logger.warn("kinesalite needs CBOR off: setting -Daws.cborEnabled=false for this JVM");
                System.setProperty("aws.cborEnabled", "false");
            }
            NodeRuntime runtime = (node != null) ? NodeRuntime.locate(node) : NodeRuntime.locate();
            var home = EmulatorInstaller.install(runtime);
            int dynamoDbPort = this.dynamoDbPort > 0 ? this.dynamoDbPort : EmulatorProcess.freePort();
            java.util.function.Supplier<EmulatorProcess> dynamoDbStarter = dynamoDbStarter(runtime, home, dynamoDbPort);
            EmulatorProcess dynamoDb = dynamoDbStarter.get();
            try {
                EmulatorProcess kinesis = (backend == KinesisBackend.KINESALITE) ? startKinesalite(runtime, home)
                        : startKinesisLocal(runtime, home);
                logger.info("Local Kinesis ({}) on {}, DynamoDB on {}", backend, kinesis.endpoint(), dynamoDb.endpoint());
                return new LocalKinesis(kinesis, dynamoDb, persistentDynamoDb ? dynamoDbStarter : null,
                        kinesis.endpoint(), dynamoDb.endpoint(), backend, shutdownHook);
            }
            catch (RuntimeException ex) {
                dynamoDb.stop();
                throw ex;
            }
        }

        private java.util.function.Supplier<EmulatorProcess> dynamoDbStarter(NodeRuntime runtime,
                java.nio.file.Path home, int port) {
            List<String> args = new java.util.ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(port),
                    "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
            if (persistentDynamoDb) {
                try {
                    args.addAll(List.of("--path", java.nio.file.Files.createTempDirectory("dynalite-").toString()));
                }
                catch (java.io.IOException ex) {
                    throw new EmulatorException("Could not create a folder for dynalite's data", ex);
                }
            }
            return () -> EmulatorProcess.start("dynalite", runtime, home, "dynalite/cli.js", args, Map.of(), port);
        }

        private EmulatorProcess startKinesisLocal(NodeRuntime runtime, java.nio.file.Path home) {
            int port = kinesisPort > 0 ? kinesisPort : EmulatorProcess.freePort();
            String duration = stateChangeDuration.toMillis() + "ms";
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("KINESIS_MOCK_CERT_PATH", home.resolve("node_modules/kinesis-local/server.json").toString());
            environment.put("KINESIS_MOCK_PLAIN_PORT", String.valueOf(port));
            environment.put("KINESIS_MOCK_TLS_PORT", String.valueOf(EmulatorProcess.freePort()));
            environment.put("AWS_REGION", REGION.id());
            environment.put("SHARD_LIMIT", String.valueOf(shardLimit));
            environment.put("LOG_LEVEL", "WARN");
            for (String operation : List.of("CREATE_STREAM", "DELETE_STREAM", "SPLIT_SHARD", "MERGE_SHARDS",
                    "UPDATE_SHARD_COUNT", "REGISTER_STREAM_CONSUMER", "DEREGISTER_STREAM_CONSUMER",
                    "START_STREAM_ENCRYPTION", "STOP_STREAM_ENCRYPTION", "UPDATE_STREAM_MODE")) {
                environment.put(operation + "_DURATION", duration);
            }
            return EmulatorProcess.start("kinesis-local", runtime, home, "kinesis-local/main.js", List.of(),
                    environment, port);
        }

        private EmulatorProcess startKinesalite(NodeRuntime runtime, java.nio.file.Path home) {
            int port = kinesisPort > 0 ? kinesisPort : EmulatorProcess.freePort();
            String millis = String.valueOf(stateChangeDuration.toMillis());
            return EmulatorProcess.start("kinesalite", runtime, home, "kinesalite/cli.js",
                    List.of("--port", String.valueOf(port), "--createStreamMs", millis, "--deleteStreamMs", millis,
                            "--updateStreamMs", millis, "--shardLimit", String.valueOf(shardLimit)),
                    Map.of(), port);
        }
    }
}
