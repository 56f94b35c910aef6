package dev.kclboot.multilang.config;

/**
 * The properties file cannot be used: a required key is missing or a value is wrong. The message names the key and
 * says what is expected.
 */
public class InvalidSettingsException extends RuntimeException {

    public InvalidSettingsException(String message) {
        super(message);
    }

    public InvalidSettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
