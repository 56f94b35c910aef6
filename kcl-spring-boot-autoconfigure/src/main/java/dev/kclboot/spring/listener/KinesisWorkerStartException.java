package dev.kclboot.spring.listener;

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

    public KinesisWorkerStartException(String applicationName, String leaseTableName, List<String> streams,
            @Nullable String region, Throwable cause) {
        super("The Kinesis worker of application '" + applicationName + "' (streams " + streams + ", lease table '"
                + leaseTableName + "', region " + ((region != null) ? region : "unknown") + ") could not start: "
                + cause.getMessage(), cause);
        this.applicationName = applicationName;
        this.leaseTableName = leaseTableName;
        this.streams = List.copyOf(streams);
        this.region = region;
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
}
