package dev.kclboot.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.kclboot.spring.listener.KinesisListenerContainer;
import org.jspecify.annotations.Nullable;

/**
 * What an operator sees of one listener container, in the health details and the {@code kinesis} endpoint.
 * @param id the listener id (the registry's key for start, stop, pause and resume)
 * @param application the application name of its worker
 * @param stream the stream it consumes
 * @param state {@code RUNNING}, {@code PAUSED}, {@code STOPPED}, or {@code FAILED} when it stopped itself because a
 * record failed every attempt ({@code onExhausted = STOP})
 * @param problem what failed, for {@code FAILED}
 */
public record ListenerDescriptor(String id, String application, String stream, String state,
        @Nullable String problem) {

    static ListenerDescriptor of(KinesisListenerContainer container) {
        String failure = container.getStopFailure();
        String state = (failure != null) ? "FAILED"
                : !container.isRunning() ? "STOPPED" : container.isPaused() ? "PAUSED" : "RUNNING";
        return new ListenerDescriptor(container.getId(), container.getSettings().applicationName(),
                container.getSettings().stream(), state, failure);
    }

    boolean failed() {
        return problem != null;
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
        return map;
    }
}
