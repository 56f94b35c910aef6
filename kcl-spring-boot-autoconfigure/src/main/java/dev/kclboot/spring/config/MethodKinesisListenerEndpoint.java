package dev.kclboot.spring.config;

import java.lang.reflect.Method;

import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;

/**
 * An endpoint that calls a bean method (a {@code @KinesisListener} method).
 */
public class MethodKinesisListenerEndpoint extends KinesisListenerEndpoint {

    private final Object bean;

    private final Method method;

    /**
     * @param id the listener id
     * @param bean the bean
     * @param method the method, invocable on the bean
     */
    public MethodKinesisListenerEndpoint(String id, Object bean, Method method) {
        super(id);
        this.bean = bean;
        this.method = method;
    }

    public Object getBean() {
        return bean;
    }

    public Method getMethod() {
        return method;
    }

    @Override
    public String describe() {
        return "listener '" + getId() + "' (" + method.getDeclaringClass().getName() + "." + method.getName() + ")";
    }

    @Override
    public KinesisMessageListener createListener(KinesisListenerSettings settings,
            ListenerMethodAdapterFactory adapterFactory) {
        return adapterFactory.create(bean, method, settings);
    }
}
