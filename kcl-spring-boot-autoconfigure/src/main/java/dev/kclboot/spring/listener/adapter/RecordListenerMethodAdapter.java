package dev.kclboot.spring.listener.adapter;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;

/**
 * A listener method that receives one record at a time.
 */
final class RecordListenerMethodAdapter implements KinesisRecordListener {

    private final ListenerMethodInvoker invoker;

    RecordListenerMethodAdapter(ListenerMethodInvoker invoker) {
        this.invoker = invoker;
    }

    @Override
    public void onRecord(KinesisRecord record, KinesisRecordMetadata metadata, Checkpointer checkpointer)
            throws Exception {
        invoker.invoke(new ListenerInvocation(List.of(record), List.of(metadata), checkpointer));
    }
}
