package dev.kclboot.core.consumer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of batches read and not processed yet, across a worker's shards: a shard reads ahead only while they are
 * under the limit, so a slow processor on many shards cannot make memory grow with the shard count. A shard that
 * holds no batch always reads its next one.
 */
public final class ReadAheadBudget {

    private final long limit;

    private final AtomicLong held = new AtomicLong();

    public ReadAheadBudget(long limit) {
        this.limit = limit;
    }

    /** Whether a shard may read its next batch before the current one is processed. */
    public boolean hasRoom() {
        return held.get() < limit;
    }

    void hold(long bytes) {
        held.addAndGet(bytes);
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    /** The bytes held now. */
    public long heldBytes() {
        return held.get();
    }
}
