package dev.kclboot.spring.config;

/**
 * A listener has no stream: none on the annotation and no {@code kcl.stream}.
 */
public class MissingStreamException extends RuntimeException {

    private final String endpoint;

    public MissingStreamException(String endpoint) {
        super("No stream for " + endpoint);
        this.endpoint = endpoint;
    }

    /** The listener, as in error messages. */
    public String getEndpoint() {
        return endpoint;
    }
}
