package dev.kclboot.spring.config;

/**
 * A listener has no application name: none on the annotation and no {@code kcl.application-name} or
 * {@code spring.application.name}.
 */
public class MissingApplicationNameException extends RuntimeException {

    private final String endpoint;

    public MissingApplicationNameException(String endpoint) {
        super("No application name for " + endpoint);
        this.endpoint = endpoint;
    }

    /** The listener, as in error messages. */
    public String getEndpoint() {
        return endpoint;
    }
}
