package dev.kclboot.core.fanout;

import java.util.Map;

import dev.kclboot.core.fetch.RecordConverter;
import dev.kclboot.core.fetch.ShardReader;
import dev.kclboot.core.fetch.ShardReaderFactory;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.stream.StreamRef;

/**
 * Makes a {@link FanOutShardReader} per shard tenure, subscribing through the stream's registered consumer.
 */
public final class FanOutReaderFactory implements ShardReaderFactory {

    private final FanOutContext context;

    private final Map<String, String> consumerArns;

    /**
     * @param consumerArns the ACTIVE consumer of each stream, by stream name
     */
    public FanOutReaderFactory(FanOutContext context, Map<String, String> consumerArns) {
        this.context = context;
        this.consumerArns = Map.copyOf(consumerArns);
    }

    @Override
    public ShardReader create(StreamRef stream, String shardId, ExtendedSequenceNumber checkpoint,
            RecordConverter converter) {
        String consumerArn = consumerArns.get(stream.streamName());
        if (consumerArn == null) {
            throw new IllegalStateException("No stream consumer was registered for stream " + stream);
        }
        return new FanOutShardReader(context, stream, shardId, consumerArn, checkpoint, converter);
    }
}
