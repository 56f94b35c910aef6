package dev.kclboot.multilang.processor;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.kclboot.multilang.child.ChildProcess;

/**
 * The children running now, by shard: for the management endpoint, the running-children gauge, and the stop that
 * ends whatever did not exit in the shutdown grace.
 */
public final class LiveChildren {

    private final Map<ChildProcess, Boolean> children = new ConcurrentHashMap<>();

    void add(ChildProcess child) {
        children.put(child, Boolean.TRUE);
    }

    void remove(ChildProcess child) {
        children.remove(child);
    }

    public int count() {
        return children.size();
    }

    /** The children sorted by shard. */
    public List<ChildSnapshot> snapshot() {
        return children.keySet().stream()
                .map(child -> new ChildSnapshot(child.shardId(), child.pid(), child.startedAt()))
                .sorted(Comparator.comparing(ChildSnapshot::shardId))
                .toList();
    }

    /** Kills every child still running (SIGKILL); the processor calls waiting on them see them exit. */
    public void killAll() {
        children.keySet().forEach(ChildProcess::kill);
    }
}
