package dev.kclboot.multilang.cli;

/**
 * The command line is wrong; the message says how, and {@link CommandLine#USAGE} shows the right form.
 */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
