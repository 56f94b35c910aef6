package dev.kclboot.core;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.kclboot.core.stream.StreamRef;

/**
 * What the worker knows about each of its streams besides its leases: paused by the application (leases kept,
 * nothing delivered), stopped by the application (leases given up, none taken), or deleted (Kinesis says the stream no
 * longer exists; its leases are not taken, its shards ended with TERMINATE). Streams are named by name, not ARN.
 */
final class StreamStates {

    private final Set<String> paused = ConcurrentHashMap.newKeySet();

    private final Set<String> stopped = ConcurrentHashMap.newKeySet();

    private final Map<String, Instant> deleted = new ConcurrentHashMap<>();

    boolean isPaused(String streamName) {
        return paused.contains(streamName);
    }

    void pause(String streamName) {
        paused.add(streamName);
    }

    void resume(String streamName) {
        paused.remove(streamName);
    }

    boolean isStopped(String streamName) {
        return stopped.contains(streamName);
    }

    void stop(String streamName) {
        stopped.add(streamName);
    }

    void start(String streamName) {
        stopped.remove(streamName);
    }

    /** Whether the worker takes and keeps leases of the stream now. */
    boolean isLive(StreamRef stream) {
        return !stopped.contains(stream.streamName()) && !deleted.containsKey(stream.streamName());
    }

    boolean isDeleted(String streamName) {
        return deleted.containsKey(streamName);
    }

    /** @return true when this call marked it (it was not known to be deleted before) */
    boolean markDeleted(String streamName) {
        return deleted.putIfAbsent(streamName, Instant.now()) == null;
    }

    /** @return true when it had been marked deleted */
    boolean markExisting(String streamName) {
        return deleted.remove(streamName) != null;
    }

    Map<String, Instant> deletedSince() {
        return Map.copyOf(deleted);
    }
}
