package dev.kclboot.core;

import java.util.List;

import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;

/**
 * The streams of a worker with their lease-key scheme: as configured until the start, then as resolved by the
 * startup checks (the KCL's multi-stream keys need each stream's account and creation time).
 */
final class StreamCatalog {

    private volatile List<StreamRef> streams;

    StreamCatalog(List<StreamRef> configured) {
        this.streams = List.copyOf(configured);
    }

    /** Replaces the configured streams by their resolved forms (same order), once, at the start. */
    void resolved(List<StreamRef> resolved) {
        this.streams = List.copyOf(resolved);
    }

    List<StreamRef> all() {
        return streams;
    }

    /** The stream a lease key belongs to, or null for another stream's lease. */
    @Nullable StreamRef of(String leaseKey) {
        for (StreamRef stream : streams) {
            if (stream.owns(leaseKey)) {
                return stream;
            }
        }
        return null;
    }
}
