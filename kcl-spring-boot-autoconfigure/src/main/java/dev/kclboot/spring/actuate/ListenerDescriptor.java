package dev.kclboot.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.spring.listener.container.KinesisListenerContainer;
import dev.kclboot.spring.listener.ShardStatus;
import org.jspecify.annotations.Nullable;

/**
 * What an operator sees of one listener container, in the health details and the {@code kinesis} endpoint.
 * @param id the listener id (the registry's key for start, stop, pause and resume)
 * @param application the application name of its worker
 * @param stream the stream it consumes
 * @param state {@code RUNNING}, {@code PAUSED}, {@code STOPPED}, {@code BLOCKED} while a shard's record has failed
 * (or one call has run) for longer than {@code kcl.health.blocked-after}, or {@code FAILED} when it stopped itself
 * because a record failed every attempt ({@code onExhausted = STOP})
 * @param problem what failed, for {@code FAILED}
 * @param blocked the blocked shards, for {@code BLOCKED}
 * @param shards every shard this instance delivers for the listener, with its current record and iterator age
 */
public record ListenerDescriptor(String id, String application, String stream, String state,
        @Nullable String problem, List<ShardStatus> blocked, List<ShardStatus> shards) {

    static ListenerDescriptor of(KinesisListenerContainer container, Duration blockedAfter, Instant now) {
        String failure = container.getStopFailure();
        List<ShardStatus> shards = container.getShardStatuses();
        List<ShardStatus> blocked = shards.stream().filter(shard -> shard.isBlocked(blockedAfter, now)).toList();
        String state = (failure != null) ? "FAILED"
                : !container.isRunning() ? "STOPPED"
                : container.isPaused() ? "PAUSED"
                : !blocked.isEmpty() ? "BLOCKED" : "RUNNING";
        return new ListenerDescriptor(container.getId(), container.getSettings().applicationName(),
                container.getSettings().stream(), state, failure, blocked, shards);
    }

    /** Whether the listener needs an operator: it stopped itself, or a shard is blocked. */
    boolean unhealthy() {
        return problem != null || !blocked.isEmpty();
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("application", application);
        map.put("stream", stream);
        map.put("state", state);
        if (problem != null) {
            map.put("problem", problem + "; start it again through the KinesisListenerEndpointRegistry once the "
                    + "cause is fixed");
        }
        if (!blocked.isEmpty()) {
            map.put("blocked", blocked.stream().map(ListenerDescriptor::blockedDetails).toList());
        }
        return map;
    }

    private static Map<String, Object> blockedDetails(ShardStatus shard) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("stream", shard.stream());
        map.put("shard", shard.shardId());
        map.put("sequenceNumber", shard.sequenceNumber());
        map.put("attempts", shard.attempts());
        if (shard.failingSince() != null) {
            map.put("failingSince", shard.failingSince().toString());
            map.put("lastException", shard.lastFailure());
        }
        if (shard.inCallSince() != null) {
            map.put("inCallSince", shard.inCallSince().toString());
        }
        map.put("iteratorAge", shard.iteratorAge().toString());
        return map;
    }
}
