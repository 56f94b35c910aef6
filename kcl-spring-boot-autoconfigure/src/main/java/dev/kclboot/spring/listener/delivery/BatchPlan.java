package dev.kclboot.spring.listener.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The parts of a batch still to be delivered to a batch listener, in shard order: at first the whole batch; a failed
 * part is split in halves when bisecting ({@link #split()}), shortened by the records before one the listener named
 * as failed ({@link #dropFirst(int)}), or loses single records that are done without the listener (recovered,
 * expired). Parts are delivered one at a time, left to right, so records are still done in shard order.
 * Pure logic, no threads: one delivery uses one plan.
 * @param <T> the record type (generic so the planning is tested without Kinesis records)
 */
final class BatchPlan<T> {

    private final Deque<List<T>> parts = new ArrayDeque<>();

    BatchPlan(List<T> records) {
        if (!records.isEmpty()) {
            parts.add(List.copyOf(records));
        }
    }

    /** Whether every part was delivered (or emptied). */
    boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The part to deliver next, never empty; only valid while {@link #isEmpty()} is false. */
    List<T> current() {
        List<T> part = parts.peekFirst();
        if (part == null) {
            throw new IllegalStateException("Every part of the batch was delivered");
        }
        return part;
    }

    /** The current part succeeded: the next one comes up. */
    void succeeded() {
        parts.pollFirst();
    }

    /** Whether the current part can be split (it holds more than one record). */
    boolean canSplit() {
        return !parts.isEmpty() && current().size() > 1;
    }

    /**
     * Replaces the current part by its two halves (the left one, which is delivered first, gets the smaller half of
     * an odd count, so a poison record near the start is isolated quickly).
     */
    void split() {
        List<T> part = current();
        if (part.size() < 2) {
            throw new IllegalStateException("A part of " + part.size() + " record cannot be split");
        }
        parts.pollFirst();
        int middle = part.size() / 2;
        parts.addFirst(List.copyOf(part.subList(middle, part.size())));
        parts.addFirst(List.copyOf(part.subList(0, middle)));
    }

    /**
     * Removes the first {@code count} records of the current part (they are done); the rest of it comes up again.
     * @return the removed records, in order
     */
    List<T> dropFirst(int count) {
        List<T> part = current();
        if (count < 0 || count > part.size()) {
            throw new IndexOutOfBoundsException("Cannot drop " + count + " of " + part.size() + " records");
        }
        List<T> dropped = List.copyOf(part.subList(0, count));
        replaceCurrent(part.subList(count, part.size()));
        return dropped;
    }

    /** Removes one record from the current part (done without the listener); false if it is not in it. */
    boolean remove(T record) {
        List<T> part = new ArrayList<>(current());
        if (!part.remove(record)) {
            return false;
        }
        replaceCurrent(part);
        return true;
    }

    private void replaceCurrent(List<T> rest) {
        parts.pollFirst();
        if (!rest.isEmpty()) {
            parts.addFirst(List.copyOf(rest));
        }
    }
}
