package dev.kclboot.benchmarks.scale;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads for {@code --virtualThreads=true}, reached reflectively because the benchmarks compile for Java 17;
 * the run fails at once with a clear message on an older JVM.
 */
final class VirtualThreads {

    private VirtualThreads() {
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}. */
    static ExecutorService perTaskExecutor() {
        try {
            return (ExecutorService) MethodHandles.publicLookup()
                    .findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
                            MethodType.methodType(ExecutorService.class)).invoke();
        }
        catch (Throwable ex) {
            throw unsupported(ex);
        }
    }

    /** {@code Thread.ofVirtual().name(prefix, 0).factory()}. */
    static ThreadFactory factory(String prefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
            return (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            throw unsupported(ex);
        }
    }

    private static IllegalStateException unsupported(Throwable cause) {
        return new IllegalStateException("--virtualThreads=true needs Java 21+ (this is Java "
                + Runtime.version().feature() + ")", cause);
    }
}
