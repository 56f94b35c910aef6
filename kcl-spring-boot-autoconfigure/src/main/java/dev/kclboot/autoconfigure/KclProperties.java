package dev.kclboot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import dev.kclboot.core.MultiStreamLeaseKeys;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.RetrievalMode;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code kcl.*} properties: where to connect, how the workers share shards, how listeners checkpoint and retry.
 * Invalid values fail the startup with a message naming the property (see {@link KclPropertiesValidator}).
 */
@ConfigurationProperties("kcl")
public class KclProperties implements Validator {

    /** Whether the Kinesis listener infrastructure is auto-configured. */
    private boolean enabled = true;

    /**
     * Whether a kcl.* key that no kcl property binds (a typo such as kcl.leese.failover-time) fails the startup;
     * false logs a warning instead.
     */
    private boolean failOnUnknownProperties = true;

    /** Whether listeners start with the application context; false to start them through the registry. */
    private boolean autoStartup = true;

    /**
     * Names the DynamoDB lease table and the group of instances sharing a stream's shards. Defaults to
     * spring.application.name.
     */
    private @Nullable String applicationName;

    /** The stream (name or ARN) of listeners that name none. */
    private @Nullable String stream;

    /** AWS region of the Kinesis and DynamoDB clients. Defaults to the SDK's region chain (AWS_REGION, profile, ...). */
    private @Nullable String region;

    private final Credentials credentials = new Credentials();

    private final Endpoint endpoint = new Endpoint();

    /** Where shards without a checkpoint start. */
    private Position initialPosition = Position.LATEST;

    /** The instant AT_TIMESTAMP starts from, e.g. 2024-05-01T00:00:00Z. */
    private @Nullable Instant initialTimestamp;

    /** This instance's identity in the lease table. Defaults to the host name plus a random suffix. */
    private @Nullable String workerId;

    private final Lease lease = new Lease();

    private final Polling polling = new Polling();

    private final Retrieval retrieval = new Retrieval();

    /** How often the shard list is read to find new shards. */
    private Duration shardSyncInterval = Duration.ofSeconds(60);

    private final Checkpoint checkpoint = new Checkpoint();

    private final Listener listener = new Listener();

    private final Retry retry = new Retry();

    private final DeadLetter deadLetter = new DeadLetter();

    private final Health health = new Health();

    private final Client client = new Client();

    private final Consumer consumer = new Consumer();

    /**
     * How long the start retries throttling, 5xx and timeouts of Kinesis and DynamoDB before it fails; definite
     * answers (not found, access denied, no credentials) fail at once.
     */
    private Duration startupRetryTimeout = Duration.ofSeconds(30);

    /**
     * How long a graceful stop may take: batches finish, what is done is checkpointed, leases are released. Listener
     * calls still running near its end are abandoned (their records are delivered again). Must be shorter than
     * spring.lifecycle.timeout-per-shutdown-phase (30s).
     */
    private Duration shutdownTimeout = Duration.ofSeconds(20);

    @Override
    public boolean supports(Class<?> type) {
        return KclProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        new KclPropertiesValidator((KclProperties) target, errors).validate();
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isFailOnUnknownProperties() {
        return failOnUnknownProperties;
    }

    public void setFailOnUnknownProperties(boolean failOnUnknownProperties) {
        this.failOnUnknownProperties = failOnUnknownProperties;
    }

    public boolean isAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public @Nullable String getApplicationName() {
        return applicationName;
    }

    public void setApplicationName(@Nullable String applicationName) {
        this.applicationName = applicationName;
    }

    public @Nullable String getStream() {
        return stream;
    }

    public void setStream(@Nullable String stream) {
        this.stream = stream;
    }

    public @Nullable String getRegion() {
        return region;
    }

    public void setRegion(@Nullable String region) {
        this.region = region;
    }

    public Credentials getCredentials() {
        return credentials;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    public Position getInitialPosition() {
        return initialPosition;
    }

    public void setInitialPosition(Position initialPosition) {
        this.initialPosition = initialPosition;
    }

    public @Nullable Instant getInitialTimestamp() {
        return initialTimestamp;
    }

    public void setInitialTimestamp(@Nullable Instant initialTimestamp) {
        this.initialTimestamp = initialTimestamp;
    }

    public @Nullable String getWorkerId() {
        return workerId;
    }

    public void setWorkerId(@Nullable String workerId) {
        this.workerId = workerId;
    }

    public Lease getLease() {
        return lease;
    }

    public Polling getPolling() {
        return polling;
    }

    public Retrieval getRetrieval() {
        return retrieval;
    }

    public Duration getShardSyncInterval() {
        return shardSyncInterval;
    }

    public void setShardSyncInterval(Duration shardSyncInterval) {
        this.shardSyncInterval = shardSyncInterval;
    }

    public Checkpoint getCheckpoint() {
        return checkpoint;
    }

    public Listener getListener() {
        return listener;
    }

    public Retry getRetry() {
        return retry;
    }

    public DeadLetter getDeadLetter() {
        return deadLetter;
    }

    public Health getHealth() {
        return health;
    }

    public Client getClient() {
        return client;
    }

    public Consumer getConsumer() {
        return consumer;
    }

    public Duration getStartupRetryTimeout() {
        return startupRetryTimeout;
    }

    public void setStartupRetryTimeout(Duration startupRetryTimeout) {
        this.startupRetryTimeout = startupRetryTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** Where shards without a checkpoint start reading. */
    public enum Position {

        /** The oldest record still in the shard. */
        TRIM_HORIZON,

        /** Only records written after the worker starts. */
        LATEST,

        /** Records from kcl.initial-timestamp on. */
        AT_TIMESTAMP
    }

    /** Billing mode of a lease table the worker creates. */
    public enum BillingMode {

        /** On demand. */
        PAY_PER_REQUEST,

        /** Provisioned capacity. */
        PROVISIONED
    }

    /**
     * Static credentials or a named profile; without either, the SDK's default chain (or the application's own
     * {@code AwsCredentialsProvider} bean).
     */
    public static class Credentials {

        /** Access key id of static credentials. */
        private @Nullable String accessKey;

        /** Secret access key of static credentials. */
        private @Nullable String secretKey;

        /** Session token of temporary static credentials. */
        private @Nullable String sessionToken;

        /** Name of a profile in ~/.aws/credentials and ~/.aws/config. */
        private @Nullable String profile;

        public @Nullable String getAccessKey() {
            return accessKey;
        }

        public void setAccessKey(@Nullable String accessKey) {
            this.accessKey = accessKey;
        }

        public @Nullable String getSecretKey() {
            return secretKey;
        }

        public void setSecretKey(@Nullable String secretKey) {
            this.secretKey = secretKey;
        }

        public @Nullable String getSessionToken() {
            return sessionToken;
        }

        public void setSessionToken(@Nullable String sessionToken) {
            this.sessionToken = sessionToken;
        }

        public @Nullable String getProfile() {
            return profile;
        }

        public void setProfile(@Nullable String profile) {
            this.profile = profile;
        }
    }

    /** Endpoint overrides, for local emulators or VPC endpoints. */
    public static class Endpoint {

        /** Endpoint of the Kinesis client, e.g. http://localhost:4567. */
        private @Nullable URI kinesis;

        /** Endpoint of the DynamoDB client, e.g. http://localhost:8000. */
        private @Nullable URI dynamodb;

        public @Nullable URI getKinesis() {
            return kinesis;
        }

        public void setKinesis(@Nullable URI kinesis) {
            this.kinesis = kinesis;
        }

        public @Nullable URI getDynamodb() {
            return dynamodb;
        }

        public void setDynamodb(@Nullable URI dynamodb) {
            this.dynamodb = dynamodb;
        }
    }

    /** The DynamoDB lease table and how leases move between instances. */
    public static class Lease {

        /**
         * Name of the lease table of the application name kcl.application-name (listeners with their own
         * application name use it as their table name). Defaults to the application name.
         */
        private @Nullable String tableName;

        /** How long a lease may go unrenewed before other instances take it (at least 300ms). */
        private Duration failoverTime = Duration.ofSeconds(10);

        /** The most leases one instance holds. Unlimited when not set. */
        private @Nullable Integer maxLeasesPerWorker;

        /**
         * The most leases taken from busier instances in one round. Each is a graceful handoff (the owner finishes its
         * batch, checkpoints and releases), so several at once cost no duplicates; the KCL's default is 1.
         */
        private int maxLeasesToSteal = 10;

        /** Billing mode of a lease table the worker creates. */
        private BillingMode billingMode = BillingMode.PAY_PER_REQUEST;

        /** How often finished leases whose children have all started are deleted. */
        private Duration cleanupInterval = Duration.ofMinutes(1);

        /**
         * How lease keys name their stream when a table holds several streams: STREAM_NAME ({@code stream:shardId})
         * or KCL (the KCL's multi-stream form {@code account:stream:creationEpoch:shardId}).
         */
        private MultiStreamLeaseKeys multiStreamKeys = MultiStreamLeaseKeys.STREAM_NAME;

        /**
         * Create a missing lease table with KCL 3's LeaseOwnerToLeaseKeyIndex, so moving to KCL 3.x needs no
         * UpdateTable.
         */
        private boolean createKcl3Index;

        public MultiStreamLeaseKeys getMultiStreamKeys() {
            return multiStreamKeys;
        }

        public void setMultiStreamKeys(MultiStreamLeaseKeys multiStreamKeys) {
            this.multiStreamKeys = multiStreamKeys;
        }

        public boolean isCreateKcl3Index() {
            return createKcl3Index;
        }

        public void setCreateKcl3Index(boolean createKcl3Index) {
            this.createKcl3Index = createKcl3Index;
        }

        public Duration getCleanupInterval() {
            return cleanupInterval;
        }

        public void setCleanupInterval(Duration cleanupInterval) {
            this.cleanupInterval = cleanupInterval;
        }

        public @Nullable String getTableName() {
            return tableName;
        }

        public void setTableName(@Nullable String tableName) {
            this.tableName = tableName;
        }

        public Duration getFailoverTime() {
            return failoverTime;
        }

        public void setFailoverTime(Duration failoverTime) {
            this.failoverTime = failoverTime;
        }

        public @Nullable Integer getMaxLeasesPerWorker() {
            return maxLeasesPerWorker;
        }

        public void setMaxLeasesPerWorker(@Nullable Integer maxLeasesPerWorker) {
            this.maxLeasesPerWorker = maxLeasesPerWorker;
        }

        public int getMaxLeasesToSteal() {
            return maxLeasesToSteal;
        }

        public void setMaxLeasesToSteal(int maxLeasesToSteal) {
            this.maxLeasesToSteal = maxLeasesToSteal;
        }

        public BillingMode getBillingMode() {
            return billingMode;
        }

        public void setBillingMode(BillingMode billingMode) {
            this.billingMode = billingMode;
        }
    }

    /** Reading records with GetRecords. */
    public static class Polling {

        /** The most records one GetRecords call returns (1 to 10000). */
        private int maxRecords = 10_000;

        /** The pause between reads of a shard that is caught up. */
        private Duration idleTimeBetweenReads = Duration.ofSeconds(1);

        public int getMaxRecords() {
            return maxRecords;
        }

        public void setMaxRecords(int maxRecords) {
            this.maxRecords = maxRecords;
        }

        public Duration getIdleTimeBetweenReads() {
            return idleTimeBetweenReads;
        }

        public void setIdleTimeBetweenReads(Duration idleTimeBetweenReads) {
            this.idleTimeBetweenReads = idleTimeBetweenReads;
        }
    }

    /**
     * How workers read the stream: polling GetRecords, or enhanced fan-out (SubscribeToShard through a registered
     * stream consumer; the starter brings the HTTP/2 client it needs).
     */
    public static class Retrieval {

        /** polling or fan-out, for listeners that set none. */
        private RetrievalMode mode = RetrievalMode.POLLING;

        /** Name of the stream consumer fan-out registers (or finds). Defaults to the listener's application name. */
        private @Nullable String consumerName;

        /**
         * ARN of an existing stream consumer to subscribe through instead of registering one by name (for listeners
         * of kcl.application-name only; they must read the consumer's stream).
         */
        private @Nullable String consumerArn;

        /** Whether a graceful shutdown deregisters the consumer. Off: the other instances share it. */
        private boolean deregisterOnShutdown;

        /**
         * How often a shard whose subscription sits idle is checked with GetRecords for having ended, for
         * services that never send ChildShards (kinesis-mock, as in LocalStack). 0 turns the check off.
         */
        private Duration shardEndProbeInterval = Duration.ofSeconds(30);

        public RetrievalMode getMode() {
            return mode;
        }

        public void setMode(RetrievalMode mode) {
            this.mode = mode;
        }

        public @Nullable String getConsumerName() {
            return consumerName;
        }

        public void setConsumerName(@Nullable String consumerName) {
            this.consumerName = consumerName;
        }

        public @Nullable String getConsumerArn() {
            return consumerArn;
        }

        public void setConsumerArn(@Nullable String consumerArn) {
            this.consumerArn = consumerArn;
        }

        public boolean isDeregisterOnShutdown() {
            return deregisterOnShutdown;
        }

        public void setDeregisterOnShutdown(boolean deregisterOnShutdown) {
            this.deregisterOnShutdown = deregisterOnShutdown;
        }

        public Duration getShardEndProbeInterval() {
            return shardEndProbeInterval;
        }

        public void setShardEndProbeInterval(Duration shardEndProbeInterval) {
            this.shardEndProbeInterval = shardEndProbeInterval;
        }
    }

    /** When listeners checkpoint. */
    public static class Checkpoint {

        /** Checkpoint mode of listeners that set none. */
        private CheckpointMode mode = CheckpointMode.BATCH;

        /** Interval of PERIODIC checkpoints. */
        private Duration interval = Duration.ofSeconds(10);

        public CheckpointMode getMode() {
            return mode;
        }

        public void setMode(CheckpointMode mode) {
            this.mode = mode;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    /** What the {@code kinesis} health indicator reports as a problem. */
    public static class Health {

        /**
         * How long a shard's current record may keep failing (retried, or its recoverer failing), or one listener
         * call may run, before the shard counts as blocked: the health indicator is DOWN and names the record.
         */
        private Duration blockedAfter = Duration.ofMinutes(5);

        public Duration getBlockedAfter() {
            return blockedAfter;
        }

        public void setBlockedAfter(Duration blockedAfter) {
            this.blockedAfter = blockedAfter;
        }
    }

    /** How listeners take the records of a shard (each listener's own attributes win). */
    public static class Listener {

        /**
         * How many records of one shard are delivered at once, for different partition keys (Lambda's
         * ParallelizationFactor): a key's records are still delivered one at a time in shard order, and the checkpoint
         * is the shard's low watermark. A batch listener gets each batch in up to this many key groups at once. 1
         * delivers one record (or batch) at a time. Not with kcl.checkpoint.mode=MANUAL.
         */
        private int concurrency = 1;

        /**
         * With a concurrency above 1, the most records of a shard in flight (read, not done); when full, the shard
         * stops reading until a record is done. Defaults to max(100, 10 x concurrency).
         */
        private @Nullable Integer window;

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public @Nullable Integer getWindow() {
            return window;
        }

        public void setWindow(@Nullable Integer window) {
            this.window = window;
        }
    }

    /** Retrying records a listener failed on. */
    public static class Retry {

        /** How often a record is delivered before it counts as exhausted. Unlimited when not set (or -1). */
        private @Nullable Integer maxAttempts;

        /** What happens to a record after the last attempt: RECOVER (hand to the recoverer) or STOP the listener. */
        private ExhaustedAction onExhausted = ExhaustedAction.RECOVER;

        /**
         * Whether a batch listener's failing batch is split in halves until the failing records are isolated (only
         * a record delivered alone counts attempts); no effect on record listeners.
         */
        private boolean bisectOnError;

        /**
         * Records older than this (by approximate arrival time) when they come up for delivery or re-delivery go to
         * the recoverer as expired instead of the listener. No limit when not set.
         */
        private @Nullable Duration maxRecordAge;

        private final Backoff backoff = new Backoff();

        public @Nullable Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public ExhaustedAction getOnExhausted() {
            return onExhausted;
        }

        public void setOnExhausted(ExhaustedAction onExhausted) {
            this.onExhausted = onExhausted;
        }

        public boolean isBisectOnError() {
            return bisectOnError;
        }

        public void setBisectOnError(boolean bisectOnError) {
            this.bisectOnError = bisectOnError;
        }

        public @Nullable Duration getMaxRecordAge() {
            return maxRecordAge;
        }

        public void setMaxRecordAge(@Nullable Duration maxRecordAge) {
            this.maxRecordAge = maxRecordAge;
        }

        public Backoff getBackoff() {
            return backoff;
        }

        /** Exponential backoff between attempts. */
        public static class Backoff {

            /** Wait before the second attempt. */
            private Duration initialInterval = Duration.ofSeconds(1);

            /** Factor by which the wait grows after each attempt (at least 1). */
            private double multiplier = 2.0;

            /** Longest wait between attempts. */
            private Duration maxInterval = Duration.ofSeconds(30);

            public Backoff() {
            }

            Backoff(Duration initialInterval, double multiplier, Duration maxInterval) {
                this.initialInterval = initialInterval;
                this.multiplier = multiplier;
                this.maxInterval = maxInterval;
            }

            public Duration getInitialInterval() {
                return initialInterval;
            }

            public void setInitialInterval(Duration initialInterval) {
                this.initialInterval = initialInterval;
            }

            public double getMultiplier() {
                return multiplier;
            }

            public void setMultiplier(double multiplier) {
                this.multiplier = multiplier;
            }

            public Duration getMaxInterval() {
                return maxInterval;
            }

            public void setMaxInterval(Duration maxInterval) {
                this.maxInterval = maxInterval;
            }
        }
    }

    /**
     * The dead-letter stream: with a stream set, a {@code KinesisDeadLetterPublishingRecoverer} becomes the
     * recoverer of listeners that name none (unless the application has a {@code KinesisRecordRecoverer} bean).
     */
    public static class DeadLetter {

        /** The dead-letter stream (name or ARN) that receives the records listeners could not process. */
        private @Nullable String stream;

        /** Puts per recoverer call before it gives up; the container then calls it again after its own backoff. */
        private int maxAttempts = 3;

        /** Exponential backoff between the puts of one call. */
        private final Retry.Backoff backoff = new Retry.Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2));

        public @Nullable String getStream() {
            return stream;
        }

        public void setStream(@Nullable String stream) {
            this.stream = stream;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Retry.Backoff getBackoff() {
            return backoff;
        }
    }

    /** The auto-configured Kinesis and DynamoDB clients (not clients you define yourself). */
    public static class Client {

        /**
         * The most HTTP connections of each client (with the Apache HTTP client the starter brings). The default
         * covers the engine's threads: 16 renewals, 32 reads and 64 processor calls (checkpoints) at once.
         */
        private int maxConnections = 128;

        /** How long one API call may take, retries included. */
        private Duration apiCallTimeout = Duration.ofSeconds(30);

        /** How long one attempt of an API call may take. */
        private Duration apiCallAttemptTimeout = Duration.ofSeconds(10);

        /**
         * Whether polling's reads (GetShardIterator, GetRecords) and the lease renewals and takes go through async
         * clients, so that a call in flight holds no thread: the KinesisAsyncClient and DynamoDbAsyncClient beans
         * (auto-configured on the SDK's Netty client, which the starter brings). Not for a sync client the application defines itself unless it defines the async one too (the auto-configured async client would go around it).
         */
        private boolean asyncIo = true;

        public boolean isAsyncIo() {
            return asyncIo;
        }

        public void setAsyncIo(boolean asyncIo) {
            this.asyncIo = asyncIo;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public Duration getApiCallTimeout() {
            return apiCallTimeout;
        }

        public void setApiCallTimeout(Duration apiCallTimeout) {
            this.apiCallTimeout = apiCallTimeout;
        }

        public Duration getApiCallAttemptTimeout() {
            return apiCallAttemptTimeout;
        }

        public void setApiCallAttemptTimeout(Duration apiCallAttemptTimeout) {
            this.apiCallAttemptTimeout = apiCallAttemptTimeout;
        }
    }

    /** The shard consumers of a worker. */
    public static class Consumer {

        /**
         * The most threads running listener calls at once per worker (reads: a quarter as many, at least 4); threads
         * exist only while there is work. With spring.threads.virtual.enabled on Java 21+, virtual threads are used
         * instead.
         */
        private int maxThreads = 64;

        /** The most bytes read ahead of processing across a worker's shards. */
        private DataSize maxReadAhead = DataSize.ofMegabytes(64);

        private final FailureBackoff failureBackoff = new FailureBackoff();

        public int getMaxThreads() {
            return maxThreads;
        }

        public void setMaxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
        }

        public DataSize getMaxReadAhead() {
            return maxReadAhead;
        }

        public void setMaxReadAhead(DataSize maxReadAhead) {
            this.maxReadAhead = maxReadAhead;
        }

        public FailureBackoff getFailureBackoff() {
            return failureBackoff;
        }

        /**
         * How long an instance keeps off a shard after its consumer failed (the listener's container could not start
         * on it, Kinesis refused to read it...): exponential with jitter from the initial to the max interval.
         */
        public static class FailureBackoff {

            private Duration initialInterval = Duration.ofSeconds(1);

            private Duration maxInterval = Duration.ofMinutes(1);

            public Duration getInitialInterval() {
                return initialInterval;
            }

            public void setInitialInterval(Duration initialInterval) {
                this.initialInterval = initialInterval;
            }

            public Duration getMaxInterval() {
                return maxInterval;
            }

            public void setMaxInterval(Duration maxInterval) {
                this.maxInterval = maxInterval;
            }
        }
    }
}
