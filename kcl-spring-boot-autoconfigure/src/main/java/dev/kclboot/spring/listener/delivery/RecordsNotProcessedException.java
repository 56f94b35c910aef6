package dev.kclboot.spring.listener.delivery;

/**
 * Thrown to the engine when a listener container could not finish the records it was handed (it is stopping, or
 * stopped because of a record): the engine keeps them and delivers them again, so nothing is skipped.
 */
public class RecordsNotProcessedException extends RuntimeException {

    public RecordsNotProcessedException(String listenerId, String shardId, String streamName) {
        super("Listener '" + listenerId + "' is not running; records of shard " + shardId + " in stream " + streamName
                + " stay unprocessed and are delivered again");
    }
}
