package dev.kclboot.core;

/**
 * A {@link Worker} could not start because Kinesis or DynamoDB did not answer (connection refused, unknown host,
 * timeouts, 5xx) for the whole startup retry timeout.
 */
public class ServiceUnreachableException extends WorkerStartException {

    private final String service;

    private final String endpoint;

    public ServiceUnreachableException(String service, String endpoint, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.endpoint = endpoint;
    }

    /** "Kinesis" or "DynamoDB". */
    public String service() {
        return service;
    }

    /** The endpoint that did not answer (the override, or the region's AWS endpoint). */
    public String endpoint() {
        return endpoint;
    }
}
