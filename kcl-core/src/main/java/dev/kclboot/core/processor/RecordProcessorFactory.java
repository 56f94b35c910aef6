package dev.kclboot.core.processor;

/**
 * Makes one {@link RecordProcessor} per shard lease.
 */
@FunctionalInterface
public interface RecordProcessorFactory {

    /**
     * Creates a processor for a shard of the given stream; the shard id follows in
     * {@link RecordProcessor#initialize(String)}.
     * @param streamName the name of the stream the shard belongs to
     * @return a new processor, not shared with other shards
     */
    RecordProcessor create(String streamName);
}
