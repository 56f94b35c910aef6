package dev.kclboot.spring.listener.container;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The worker of an application name could not start: a stream does not exist, the lease table cannot be used, or
 * another error. Carries what a failure analysis needs to say what to fix; the cause is the engine's exception.
 */
public class KinesisWorkerStartException extends RuntimeException {

    private final String applicationName;

    private final String leaseTableName;

    private final List<String> streams;

    private final @Nullable String region;

    private final String kinesisEndpoint;

    private final String dynamoDbEndpoint;

    public KinesisWorkerStartException(String applicationName, String leaseTableName, List<String> streams,
            @Nullable String region, Throwable cause) {
        this(applicationName, leaseTableName, streams, region, "(not known)", "(not known)", cause);
    }

    /**
     * @param applicationName the application name of the worker
     * @param leaseTableName its lease table
     * @param streams the streams it was to consume
     * @param region the region of its Kinesis client, when known
     * @param kinesisEndpoint the endpoint its Kinesis client calls (an override, or the region's AWS endpoint)
     * @param dynamoDbEndpoint the endpoint its DynamoDB client calls
     * @param cause the engine's exception
     */
    public KinesisWorkerStartException(String applicationName, String leaseTableName, List<String> streams,
            @Nullable String region, String kinesisEndpoint, String dynamoDbEndpoint, Throwable cause) {
        super("The Kinesis worker of application '" + applicationName + "' (streams " + streams + ", lease table '"
                + leaseTableName + "', region " + ((region != null) ? region : "unknown") + ") could not start: "
                + cause.getMessage(), cause);
        this.applicationName = applicationName;
        this.leaseTableName = leaseTableName;
        this.streams = List.copyOf(streams);
        this.region = region;
        this.kinesisEndpoint = kinesisEndpoint;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
    }

    public String getApplicationName() {
        return applicationName;
    }

    public String getLeaseTableName() {
        return leaseTableName;
    }

    /** The streams the worker was to consume. */
    public List<String> getStreams() {
        return streams;
    }

    /** The region of the worker's Kinesis client, when known. */
    public @Nullable String getRegion() {
        return region;
    }

    /** The endpoint of the worker's Kinesis client: the override when one is set, else the region's AWS endpoint. */
    public String getKinesisEndpoint() {
        return kinesisEndpoint;
    }

    /** The endpoint of the worker's DynamoDB client: the override when one is set, else the region's AWS endpoint. */
    public String getDynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }
}
