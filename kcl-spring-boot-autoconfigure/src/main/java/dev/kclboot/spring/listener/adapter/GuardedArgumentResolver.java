package dev.kclboot.spring.listener.adapter;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Marks the failures of an argument resolver that no retry can cure (a payload that cannot be converted or fails
 * validation, a missing header: spring-messaging reports them all as {@link MessagingException}s), so that the
 * adapter can tell them from what the listener method itself throws and send the record to the recoverer at once.
 */
final class GuardedArgumentResolver implements HandlerMethodArgumentResolver {

    private final HandlerMethodArgumentResolver delegate;

    GuardedArgumentResolver(HandlerMethodArgumentResolver delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return delegate.supportsParameter(parameter);
    }

    @Override
    public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
        try {
            return delegate.resolveArgument(parameter, message);
        }
        catch (MessagingException ex) {
            throw new ArgumentResolutionFailedException(parameter, ex);
        }
    }

    /** The delegate this guard wraps (for the startup checks, which ask which resolver takes a parameter). */
    HandlerMethodArgumentResolver delegate() {
        return delegate;
    }
}
