package dev.kclboot.multilang.config;

import java.net.URI;
import java.time.Duration;

import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.multilang.child.ExecutableCommand;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The host's settings, read from a KCL MultiLang properties file by {@link SettingsReader}; the property key of each
 * is in brackets.
 * @param executable the record processor command [executableName]
 * @param applicationName names the application and, by default, the lease table [applicationName]
 * @param leaseTableName the lease table when it is not the application name [tableName], else null
 * @param stream the stream's name, or its ARN when one was given [streamArn wins over streamName]
 * @param region the region of the clients [regionName, else the SDK's region chain]
 * @param kinesisEndpoint an endpoint override for Kinesis [kinesisEndpoint], else null
 * @param dynamoDbEndpoint an endpoint override for DynamoDB [dynamoDBEndpoint], else null
 * @param kinesisCredentials credentials for Kinesis, and for DynamoDB unless set apart [AwsCredentialsProvider]
 * @param dynamoDbCredentials credentials for DynamoDB [AwsCredentialsProviderDynamoDB]
 * @param initialPosition where new leases start [initialPositionInStream, initialPositionInStreamExtended]
 * @param maxRecords records per GetRecords call [maxRecords]
 * @param idleTimeBetweenReads pause between reads of a caught-up shard [idleTimeBetweenReadsInMillis]
 * @param failoverTime lease expiry [failoverTimeMillis]
 * @param shardSyncInterval how often new shards are looked for [shardSyncIntervalMillis]
 * @param maxLeasesForWorker the most leases this host holds [maxLeasesForWorker], else null for no limit
 * @param maxLeasesToStealAtOneTime [maxLeasesToStealAtOneTime]
 * @param workerId this host's identity in the lease table [workerId], else null for a generated one
 * @param retrievalMode as given [RetrievalMode]; {@code FANOUT} reads with enhanced fan-out, {@code POLLING} and
 * {@code DEFAULT} poll with GetRecords (see {@link #fanOut()})
 * @param consumerName the stream consumer for fan-out when it is not the application name [consumerName], else null
 * @param consumerArn an existing stream consumer for fan-out [consumerArn], else null
 * @param timeout how long a child may take to answer, else null to wait without limit [timeoutInSeconds]
 * @param shutdownGrace how long a graceful stop may take [shutdownGraceMillis]
 */
public record MultiLangSettings(ExecutableCommand executable, String applicationName, @Nullable String leaseTableName,
        String stream, Region region, @Nullable URI kinesisEndpoint, @Nullable URI dynamoDbEndpoint,
        AwsCredentialsProvider kinesisCredentials, AwsCredentialsProvider dynamoDbCredentials,
        InitialPosition initialPosition, int maxRecords, Duration idleTimeBetweenReads, Duration failoverTime,
        Duration shardSyncInterval, @Nullable Integer maxLeasesForWorker, int maxLeasesToStealAtOneTime,
        @Nullable String workerId, RetrievalMode retrievalMode, @Nullable String consumerName,
        @Nullable String consumerArn, @Nullable Duration timeout, Duration shutdownGrace) {

    /** The default of {@code shutdownGraceMillis}: children get time to checkpoint, within Docker's 10 s stop window. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(8);

    /**
     * Whether the host reads with enhanced fan-out. Only {@code RetrievalMode = FANOUT} says so: the daemon's
     * {@code DEFAULT} also means fan-out, but here it polls, because fan-out is billed per consumer and shard-hour
     * and needs extra IAM actions, which a file that never asked for it should not start incurring.
     */
    public boolean fanOut() {
        return retrievalMode == RetrievalMode.FANOUT;
    }

    /** A one-line summary for the start log, without credentials. */
    public String summary() {
        return "application " + applicationName + ", stream " + stream + ", region " + region
                + (leaseTableName == null ? "" : ", lease table " + leaseTableName)
                + (kinesisEndpoint == null ? "" : ", Kinesis at " + kinesisEndpoint)
                + (dynamoDbEndpoint == null ? "" : ", DynamoDB at " + dynamoDbEndpoint)
                + (fanOut() ? ", enhanced fan-out through " + (consumerArn != null ? consumerArn
                        : "consumer " + (consumerName != null ? consumerName : applicationName)) : ", polling")
                + ", initial position " + initialPosition + ", maxRecords " + maxRecords
                + ", idle time " + idleTimeBetweenReads.toMillis() + " ms, failover " + failoverTime.toMillis() + " ms"
                + ", timeout " + (timeout == null ? "none" : timeout.toSeconds() + " s")
                + ", shutdown grace " + shutdownGrace.toMillis() + " ms";
    }
}
