package dev.kclboot.spring.listener.adapter;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.support.KinesisMessages;
import org.jspecify.annotations.Nullable;

/**
 * A listener method that receives the records of one read together, invoked with the batch's message: its payload
 * is the list of converted payloads (or per-record messages) when the method takes one, else the records. Each call,
 * payload conversion included, is observed.
 */
final class BatchMessagingListenerAdapter implements KinesisBatchListener {

    private final MessagingListenerMethodInvoker invoker;

    private final ListenerDeliveryObserver observer;

    private final @Nullable BatchPayloadConverter payloads;

    private final boolean manualCheckpoint;

    BatchMessagingListenerAdapter(MessagingListenerMethodInvoker invoker, ListenerDeliveryObserver observer,
            @Nullable BatchPayloadConverter payloads, boolean manualCheckpoint) {
        this.invoker = invoker;
        this.observer = observer;
        this.payloads = payloads;
        this.manualCheckpoint = manualCheckpoint;
    }

    @Override
    public void onBatch(List<KinesisRecord> records, List<KinesisRecordMetadata> metadata, Checkpointer checkpointer)
            throws Exception {
        observer.observe(records, metadata.get(0).streamName(), () -> {
            List<?> payload = (payloads != null) ? payloads.convert(records, metadata) : records;
            invoker.invoke(KinesisMessages.batch(payload, records, metadata, manualCheckpoint ? checkpointer : null),
                    records.get(0));
        });
    }
}
