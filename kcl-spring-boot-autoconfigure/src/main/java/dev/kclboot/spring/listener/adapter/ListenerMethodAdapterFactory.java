package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Method;

import dev.kclboot.spring.listener.KinesisMessageListener;

/**
 * Makes a listener out of a bean method, checking its signature first.
 */
public final class ListenerMethodAdapterFactory {

    private final KinesisPayloadConverter converter;

    public ListenerMethodAdapterFactory(KinesisPayloadConverter converter) {
        this.converter = converter;
    }

    /**
     * Adapts the method.
     * @param bean the bean to call the method on
     * @param method the method, invocable on the bean (for a proxy, the proxy's method)
     * @param batch whether the method receives batches
     * @param manualCheckpoint whether the checkpoint mode is MANUAL
     * @return a {@link dev.kclboot.spring.listener.KinesisBatchListener} or a
     * {@link dev.kclboot.spring.listener.KinesisRecordListener}
     * @throws InvalidKinesisListenerMethodException naming the method when its signature does not fit
     */
    public KinesisMessageListener create(Object bean, Method method, boolean batch, boolean manualCheckpoint) {
        ListenerMethodInvoker invoker = new ListenerMethodInvoker(bean, method,
                ListenerMethodSignature.resolvers(method, batch, manualCheckpoint, converter));
        return batch ? new BatchListenerMethodAdapter(invoker) : new RecordListenerMethodAdapter(invoker);
    }
}
