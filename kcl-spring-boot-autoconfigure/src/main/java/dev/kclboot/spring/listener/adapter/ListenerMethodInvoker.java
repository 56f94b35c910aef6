package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * Calls a listener method with the arguments its resolvers produce; rethrows what the method threw as it is.
 */
final class ListenerMethodInvoker {

    private final Object bean;

    private final Method method;

    private final List<ArgumentResolver> resolvers;

    ListenerMethodInvoker(Object bean, Method method, List<ArgumentResolver> resolvers) {
        this.bean = bean;
        this.method = method;
        this.resolvers = resolvers;
        ReflectionUtils.makeAccessible(method);
    }

    void invoke(ListenerInvocation invocation) throws Exception {
        @Nullable Object[] arguments = new Object[resolvers.size()];
        for (int index = 0; index < arguments.length; index++) {
            arguments[index] = resolvers.get(index).resolve(invocation);
        }
        try {
            method.invoke(bean, arguments);
        }
        catch (InvocationTargetException ex) {
            Throwable target = ex.getTargetException();
            if (target instanceof Exception exception) {
                throw exception;
            }
            if (target instanceof Error error) {
                throw error;
            }
            throw new UndeclaredThrowableException(target);
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException("Cannot call " + method, ex);
        }
    }
}
