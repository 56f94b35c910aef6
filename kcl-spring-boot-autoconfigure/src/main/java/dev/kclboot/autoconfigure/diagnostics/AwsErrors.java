package dev.kclboot.autoconfigure.diagnostics;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Looks through the cause chain of a startup failure for the AWS service error behind it.
 */
final class AwsErrors {

    private AwsErrors() {
    }

    static <E extends Throwable> @Nullable E find(Throwable failure, Class<E> type) {
        for (Throwable current : chain(failure)) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

    /** The first AWS service error whose error code is the given one. */
    static @Nullable AwsServiceException findErrorCode(Throwable failure, String... errorCodes) {
        for (Throwable current : chain(failure)) {
            if (current instanceof AwsServiceException service && service.awsErrorDetails() != null) {
                for (String code : errorCodes) {
                    if (code.equals(service.awsErrorDetails().errorCode())) {
                        return service;
                    }
                }
            }
        }
        return null;
    }

    /** Every message in the chain, joined, for naming what failed. */
    static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable current : chain(failure)) {
            if (current.getMessage() != null) {
                messages.append(current.getMessage()).append('\n');
            }
        }
        return messages.toString();
    }

    /** Which SDK client the failure came from ("kinesis", "dynamodb"), read from the stack frames; null if neither. */
    static @Nullable String service(Throwable failure) {
        for (Throwable current : chain(failure)) {
            for (StackTraceElement frame : current.getStackTrace()) {
                String type = frame.getClassName();
                if (type.startsWith("software.amazon.awssdk.services.kinesis.")) {
                    return "kinesis";
                }
                if (type.startsWith("software.amazon.awssdk.services.dynamodb.")) {
                    return "dynamodb";
                }
            }
        }
        return null;
    }

    /** The first sentence of a message, at most 300 characters: enough to name the problem, never a whole dump. */
    static String firstSentence(@Nullable String message) {
        if (message == null) {
            return "(no message)";
        }
        String text = message.strip();
        int end = text.indexOf(". ");
        if (end > 0) {
            text = text.substring(0, end + 1);
        }
        return (text.length() > 300) ? text.substring(0, 300) + "..." : text;
    }

    static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Throwable current = failure;
        while (current != null && !chain.contains(current)) {
            chain.add(current);
            current = current.getCause();
        }
        return chain;
    }
}
