package dev.kclboot.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps an SDK client interface (KinesisClient, DynamoDbClient) in a proxy that counts the calls the engine makes per
 * operation, the time they took, and when each operation was first called. The engine sees an ordinary client; the
 * proxy adds a map update per call, nothing per record.
 */
final class CallRecorder {

    private final ConcurrentMap<String, Stats> stats = new ConcurrentHashMap<>();

    /** A proxy of {@code type} that records every call and hands it to {@code target}. */
    <T> T wrap(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> invoke(target, method, args);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler));
    }

    private Object invoke(Object target, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class || method.getName().equals("close")
                || method.getName().equals("serviceName") || method.getName().equals("serviceClientConfiguration")) {
            return call(target, method, args);
        }
        Stats s = stats.computeIfAbsent(method.getName(), name -> new Stats());
        long start = System.nanoTime();
        s.first.compareAndSet(0, start);
        try {
            return call(target, method, args);
        }
        finally {
            s.calls.increment();
            s.nanos.add(System.nanoTime() - start);
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    /** {@link System#nanoTime()} of the first call of the operation (SDK method name), 0 when never called. */
    long firstCallNanos(String operation) {
        Stats s = stats.get(operation);
        return s == null ? 0 : s.first.get();
    }

    long calls(String operation) {
        Stats s = stats.get(operation);
        return s == null ? 0 : s.calls.sum();
    }

    /** e.g. {@code getRecords 46 (9.1 s), getShardIterator 4 (12 ms)}, sorted by name. */
    String describe() {
        Map<String, Stats> sorted = new TreeMap<>(stats);
        StringBuilder text = new StringBuilder();
        sorted.forEach((name, s) -> {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(name).append(' ').append(s.calls.sum()).append(" (").append(Figures.millis(s.nanos.sum()))
                    .append(')');
        });
        return text.toString();
    }

    private static final class Stats {

        final AtomicLong first = new AtomicLong();

        final LongAdder calls = new LongAdder();

        final LongAdder nanos = new LongAdder();
    }
}
