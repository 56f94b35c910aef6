package dev.kclboot.benchmarks.multilang;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The event lines the test processor ({@code kcl-multilang/src/test/python/record_processor.py}) appends:
 * {@code <pid> <shard> REC <seq> <sub> <key> <data>} (seven fields), {@code CKPT ok ...}, {@code SHUTDOWN_REQUESTED ok} and so on.
 */
final class EventsFile {

    private final Path file;

    EventsFile(Path file) {
        this.file = file;
    }

    List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Whether a record whose payload starts with the prefix was delivered. */
    boolean delivered(String prefix) {
        return lines().stream().map(line -> line.split(" ")).anyMatch(parts -> parts.length >= 7
                && parts[2].equals("REC") && parts[6].startsWith(prefix));
    }

    /** How many distinct payloads with the prefix were delivered and then checkpointed by the same child. */
    int committed(String prefix) {
        Set<String> committed = new HashSet<>();
        java.util.Map<String, Set<String>> pending = new java.util.HashMap<>();
        for (String line : lines()) {
            String[] parts = line.split(" ");
            if (parts.length < 3) {
                continue;
            }
            Set<String> mine = pending.computeIfAbsent(parts[0], pid -> new HashSet<>());
            if (parts[2].equals("REC") && parts.length >= 7 && parts[6].startsWith(prefix)) {
                mine.add(parts[6]);
            }
            else if ((parts[2].equals("CKPT") || parts[2].equals("SHUTDOWN_REQUESTED") || parts[2].equals("SHARD_END"))
                    && parts.length >= 4 && parts[3].equals("ok")) {
                committed.addAll(mine);
                mine.clear();
            }
        }
        return committed.size();
    }

    long count(String type) {
        return lines().stream().map(line -> line.split(" ")).filter(parts -> parts.length >= 3 && parts[2].equals(type))
                .count();
    }
}
