package dev.kclboot.spring.listener.adapter;

import org.jspecify.annotations.Nullable;

/**
 * Produces the value of one listener method parameter for an invocation.
 */
@FunctionalInterface
interface ArgumentResolver {

    /**
     * @throws dev.kclboot.spring.listener.recovery.PayloadConversionException when a payload cannot be converted
     */
    @Nullable Object resolve(ListenerInvocation invocation);
}
