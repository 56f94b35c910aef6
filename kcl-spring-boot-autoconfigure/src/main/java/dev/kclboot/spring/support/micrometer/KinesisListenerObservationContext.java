package dev.kclboot.spring.support.micrometer;

import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * What an observation of one listener delivery (a record, or a batch) knows: the listener, where the records came
 * from and the first of them. A receiver context, so that Micrometer Tracing makes a consumer span of it; records
 * carry no trace context (Kinesis has no record headers), so each delivery starts a trace of its own.
 */
public class KinesisListenerObservationContext extends ReceiverContext<List<KinesisRecord>> {

    private final String applicationName;

    private final String listenerId;

    private final String stream;

    private final List<KinesisRecord> records;

    private final boolean batch;

    /**
     * @param records the records delivered (one for a record listener), in shard order; never empty
     * @param applicationName the listener's application name
     * @param listenerId the listener's id
     * @param stream the stream's name or ARN, as the listener consumes it
     * @param batch whether the listener is a batch listener
     */
    public KinesisListenerObservationContext(List<KinesisRecord> records, String applicationName, String listenerId,
            String stream, boolean batch) {
        super((carrier, key) -> null);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("A listener delivery has at least one record");
        }
        setCarrier(records);
        setRemoteServiceName("Amazon Kinesis");
        this.records = records;
        this.applicationName = applicationName;
        this.listenerId = listenerId;
        this.stream = stream;
        this.batch = batch;
    }

    public String getApplicationName() {
        return applicationName;
    }

    public String getListenerId() {
        return listenerId;
    }

    public String getStream() {
        return stream;
    }

    /** The records delivered, in shard order. */
    public List<KinesisRecord> getRecords() {
        return records;
    }

    /** The shard the records came from. */
    public String getShardId() {
        return records.get(0).shardId();
    }

    /** The sequence number of the record, or of the first record of a batch. */
    public String getSequenceNumber() {
        return records.get(0).sequenceNumber();
    }

    public boolean isBatch() {
        return batch;
    }
}
