package dev.kclboot.spring.listener.adapter;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;

/**
 * A listener method that receives the records of one read together.
 */
final class BatchListenerMethodAdapter implements KinesisBatchListener {

    private final ListenerMethodInvoker invoker;

    BatchListenerMethodAdapter(ListenerMethodInvoker invoker) {
        this.invoker = invoker;
    }

    @Override
    public void onBatch(List<KinesisRecord> records, List<KinesisRecordMetadata> metadata, Checkpointer checkpointer)
            throws Exception {
        invoker.invoke(new ListenerInvocation(records, metadata, checkpointer));
    }
}
