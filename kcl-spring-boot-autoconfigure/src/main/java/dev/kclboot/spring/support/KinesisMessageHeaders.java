package dev.kclboot.spring.support;

import java.util.Map;

import org.springframework.messaging.MessageHeaders;

/**
 * Message headers without the {@code id} and {@code timestamp} headers Spring generates by default: a record already
 * has an identity (shard and sequence number) and an arrival time, and a random UUID per record would be a cost on
 * every delivery for nothing.
 */
public final class KinesisMessageHeaders extends MessageHeaders {

    public KinesisMessageHeaders(Map<String, Object> headers) {
        super(headers, ID_VALUE_NONE, -1L);
    }
}
