package dev.kclboot.spring.listener.adapter;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Calls a listener method through spring-messaging with the message of a record (or batch). What the method throws
 * is rethrown as it is, for the container to retry; an argument that cannot be resolved from the record (a payload
 * that does not convert or fails validation, a missing header) becomes a {@link PayloadConversionException} naming
 * the record, which the container sends to the recoverer without retries.
 */
final class MessagingListenerMethodInvoker {

    private final InvocableHandlerMethod handlerMethod;

    MessagingListenerMethodInvoker(InvocableHandlerMethod handlerMethod) {
        this.handlerMethod = handlerMethod;
    }

    /**
     * @param first the record (for a batch, its first record) a resolution failure is blamed on
     */
    void invoke(Message<?> message, KinesisRecord first) throws Exception {
        try {
            handlerMethod.invoke(message);
        }
        catch (ArgumentResolutionFailedException ex) {
            MethodParameter parameter = ex.getParameter();
            throw new PayloadConversionException(first, "Cannot resolve parameter " + (parameter.getParameterIndex() + 1)
                    + " (" + ListenerMethodSignature.simpleName(parameter.getGenericParameterType()) + ") of "
                    + handlerMethod.getShortLogMessage() + " for record " + first.sequenceNumber() + " of shard "
                    + first.shardId() + ": " + ex.getMessage(), ex.getCause());
        }
    }
}
