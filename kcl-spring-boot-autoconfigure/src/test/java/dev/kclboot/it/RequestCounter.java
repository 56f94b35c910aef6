package dev.kclboot.it;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every request an SDK client sends (operation and calling thread). A sync client runs its interceptors on
 * the calling thread, so a request made on behalf of a caller shows that caller's thread.
 */
final class RequestCounter implements ExecutionInterceptor {

    /** One request: the service, the operation and the thread that made it. */
    record Request(String service, String operation, Thread thread) {
    }

    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        requests.add(new Request(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), Thread.currentThread()));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    int total() {
        return requests.size();
    }

    long from(Thread thread) {
        return requests.stream().filter(request -> request.thread() == thread).count();
    }

    long of(String operation) {
        return requests.stream().filter(request -> request.operation().equals(operation)).count();
    }
}
