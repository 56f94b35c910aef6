package dev.kclboot.multilang.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of every child that wrote to one events file, in the order they happened, with the questions the tests
 * ask of them. Exact counts throughout: duplicates and order matter.
 */
final class ChildEvents {

    private final List<ChildEvent> events;

    private ChildEvents(List<ChildEvent> events) {
        this.events = events;
    }

    static ChildEvents read(Path file) {
        if (!Files.exists(file)) {
            return new ChildEvents(List.of());
        }
        try {
            List<String> lines = Files.readAllLines(file);
            List<ChildEvent> events = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isEmpty()) {
                    events.add(ChildEvent.parse(i, lines.get(i)));
                }
            }
            return new ChildEvents(events);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    List<ChildEvent> all() {
        return events;
    }

    List<ChildEvent> ofType(String type) {
        return events.stream().filter(event -> event.type().equals(type)).toList();
    }

    List<ChildEvent> ofShard(String shardId, String type) {
        return events.stream().filter(event -> event.shardId().equals(shardId) && event.type().equals(type)).toList();
    }

    /** The payloads delivered, in delivery order, with duplicates. */
    List<String> deliveredData() {
        return ofType("REC").stream().map(ChildEvent::data).toList();
    }

    /** The children (pids) in the order they initialized. */
    List<Long> children() {
        return ofType("INIT").stream().map(ChildEvent::pid).toList();
    }

    /** The events of one child, in order. */
    List<ChildEvent> ofChild(long pid) {
        return events.stream().filter(event -> event.pid() == pid).toList();
    }

    /** For each child (in start order) its event types, e.g. [INIT, REC, CKPT, LEASE_LOST, EXIT]. */
    Map<Long, List<String>> typesByChild() {
        Map<Long, List<String>> byChild = new LinkedHashMap<>();
        for (ChildEvent event : events) {
            byChild.computeIfAbsent(event.pid(), pid -> new ArrayList<>()).add(event.type());
        }
        return byChild;
    }

    /**
     * How many times each payload was delivered and then covered by a successful checkpoint of the same child. At
     * least once means: every payload put is committed exactly once (a later owner starts after the checkpoint, so
     * nothing committed is delivered again), and every other delivery is one a failed or lost child never
     * checkpointed.
     */
    Map<String, Integer> committedCounts() {
        Map<String, Integer> committed = new LinkedHashMap<>();
        Map<Long, List<String>> pendingByChild = new LinkedHashMap<>();
        for (ChildEvent event : events) {
            List<String> pending = pendingByChild.computeIfAbsent(event.pid(), pid -> new ArrayList<>());
            if (event.type().equals("REC")) {
                pending.add(event.data());
            }
            else if (event.type().equals("CKPT") && event.field(0).equals("ok")
                    || (event.type().equals("SHARD_END") || event.type().equals("SHUTDOWN_REQUESTED"))
                    && event.field(0).equals("ok")) {
                pending.forEach(data -> committed.merge(data, 1, Integer::sum));
                pending.clear();
            }
        }
        return committed;
    }

    /** The payloads each child delivered but never checkpointed (lost with a failed or stolen child). */
    Map<Long, List<String>> uncommittedByChild() {
        Map<Long, List<String>> pendingByChild = new LinkedHashMap<>();
        for (ChildEvent event : events) {
            List<String> pending = pendingByChild.computeIfAbsent(event.pid(), pid -> new ArrayList<>());
            if (event.type().equals("REC")) {
                pending.add(event.data());
            }
            else if ((event.type().equals("CKPT") || event.type().equals("SHARD_END")
                    || event.type().equals("SHUTDOWN_REQUESTED")) && event.field(0).equals("ok")) {
                pending.clear();
            }
        }
        pendingByChild.values().removeIf(List::isEmpty);
        return pendingByChild;
    }
}
