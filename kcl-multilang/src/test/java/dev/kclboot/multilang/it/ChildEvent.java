package dev.kclboot.multilang.it;

import java.util.List;

/**
 * One line of the test processors' event file: {@code <pid> <shardId> <type> <fields...>}.
 * @param index the line's position in the file (the file is one global order: children append with O_APPEND)
 * @param pid the child's process id
 * @param shardId the shard (or {@code -} before initialize)
 * @param type INIT, REC, CKPT, LEASE_LOST, SHUTDOWN, SHARD_END, SHUTDOWN_REQUESTED, FAULT, EXIT
 * @param fields the rest of the line
 */
record ChildEvent(int index, long pid, String shardId, String type, List<String> fields) {

    static ChildEvent parse(int index, String line) {
        String[] parts = line.split(" ");
        return new ChildEvent(index, Long.parseLong(parts[0]), parts[1], parts[2],
                List.of(parts).subList(3, parts.length));
    }

    String field(int i) {
        return fields.get(i);
    }

    /** For REC lines: the record's payload. */
    String data() {
        return fields.get(3);
    }

    /** For REC and CKPT lines: the record's sequence number. */
    String sequenceNumber() {
        return type.equals("CKPT") ? fields.get(1) : fields.get(0);
    }
}
