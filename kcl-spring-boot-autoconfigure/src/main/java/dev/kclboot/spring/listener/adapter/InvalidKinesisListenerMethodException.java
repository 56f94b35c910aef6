package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A {@code @KinesisListener} method has a signature the container cannot call: the message names the method and
 * the problem.
 */
public class InvalidKinesisListenerMethodException extends RuntimeException {

    private final String methodDescription;

    private final String reason;

    public InvalidKinesisListenerMethodException(Method method, String reason) {
        super("Invalid @KinesisListener method " + describe(method) + ": " + reason);
        this.methodDescription = describe(method);
        this.reason = reason;
    }

    /** The method, as {@code com.example.Orders.onOrder(String, Checkpointer)}. */
    public String getMethodDescription() {
        return methodDescription;
    }

    /** What is wrong with it. */
    public String getReason() {
        return reason;
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + "("
                + Arrays.stream(method.getGenericParameterTypes()).map(ListenerMethodSignature::simpleName)
                        .collect(Collectors.joining(", "))
                + ")";
    }
}
