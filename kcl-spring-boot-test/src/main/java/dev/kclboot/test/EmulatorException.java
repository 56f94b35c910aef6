package dev.kclboot.test;

/**
 * An emulator could not be installed or started; the message says what to do about it.
 */
public class EmulatorException extends RuntimeException {

    public EmulatorException(String message) {
        super(message);
    }

    public EmulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
