package dev.kclboot.spring.listener.adapter;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.MessagingException;

/**
 * An argument of a listener method could not be resolved from the record: never leaves the adapter, which turns it
 * into a {@link dev.kclboot.spring.listener.recovery.PayloadConversionException} naming the record.
 */
final class ArgumentResolutionFailedException extends RuntimeException {

    private final transient MethodParameter parameter;

    ArgumentResolutionFailedException(MethodParameter parameter, MessagingException cause) {
        super(cause.getMessage(), cause);
        this.parameter = parameter;
    }

    MethodParameter getParameter() {
        return parameter;
    }
}
