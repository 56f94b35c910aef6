package dev.kclboot.core;

/**
 * A {@link Worker} could not start because there are no usable credentials for Kinesis or DynamoDB: none could be
 * loaded, or the service refused them (unknown access key, bad signature, expired token). Not retried.
 */
public class AwsCredentialsException extends WorkerStartException {

    private final String service;

    public AwsCredentialsException(String service, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
    }

    /** "Kinesis" or "DynamoDB". */
    public String service() {
        return service;
    }
}
