package dev.kclboot.spring.config;

import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;

/**
 * An endpoint registered in code with a ready listener, for listeners that are not annotated methods:
 * {@code registry.registerListenerContainer(new SimpleKinesisListenerEndpoint("audit", listener), factory)}.
 */
public class SimpleKinesisListenerEndpoint extends KinesisListenerEndpoint {

    private final KinesisMessageListener listener;

    public SimpleKinesisListenerEndpoint(String id, KinesisMessageListener listener) {
        super(id);
        this.listener = listener;
        if (listener instanceof KinesisBatchListener) {
            setBatch(true);
        }
    }

    @Override
    public KinesisMessageListener createListener(KinesisListenerSettings settings,
            ListenerMethodAdapterFactory adapterFactory) {
        return listener;
    }
}
