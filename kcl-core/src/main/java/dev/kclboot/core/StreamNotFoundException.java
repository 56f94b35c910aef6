package dev.kclboot.core;

/**
 * A stream given to a {@link Worker} does not exist in the client's region (or is not visible to its credentials).
 */
public class StreamNotFoundException extends WorkerStartException {

    private final String stream;

    private final String region;

    public StreamNotFoundException(String stream, String region, Throwable cause) {
        super("Kinesis stream '" + stream + "' does not exist in region " + region
                + " (or is not visible to these credentials)", cause);
        this.stream = stream;
        this.region = region;
    }

    /** The stream as configured (name or ARN). */
    public String stream() {
        return stream;
    }

    public String region() {
        return region;
    }
}
