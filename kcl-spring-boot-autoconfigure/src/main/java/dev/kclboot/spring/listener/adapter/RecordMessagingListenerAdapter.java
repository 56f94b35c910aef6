package dev.kclboot.spring.listener.adapter;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.support.KinesisMessages;

/**
 * A listener method that receives one record at a time, invoked with the record's message, each call observed.
 */
final class RecordMessagingListenerAdapter implements KinesisRecordListener {

    private final MessagingListenerMethodInvoker invoker;

    private final ListenerDeliveryObserver observer;

    private final boolean manualCheckpoint;

    RecordMessagingListenerAdapter(MessagingListenerMethodInvoker invoker, ListenerDeliveryObserver observer,
            boolean manualCheckpoint) {
        this.invoker = invoker;
        this.observer = observer;
        this.manualCheckpoint = manualCheckpoint;
    }

    @Override
    public void onRecord(KinesisRecord record, KinesisRecordMetadata metadata, Checkpointer checkpointer)
            throws Exception {
        observer.observe(List.of(record), metadata.streamName(), () -> invoker.invoke(
                KinesisMessages.record(record, metadata, manualCheckpoint ? checkpointer : null), record));
    }
}
