package dev.kclboot.core.aggregation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Remembers what a {@link RecordDeaggregator} reported.
 */
final class RecordingListener implements DeaggregationListener {

    record Corrupt(String shardId, String sequenceNumber, String reason) {
    }

    record Filtered(String shardId, String sequenceNumber, int dropped) {
    }

    final List<Corrupt> corrupt = new CopyOnWriteArrayList<>();

    final List<Filtered> filtered = new CopyOnWriteArrayList<>();

    @Override
    public void corruptAggregate(String shardId, String sequenceNumber, String reason) {
        corrupt.add(new Corrupt(shardId, sequenceNumber, reason));
    }

    @Override
    public void userRecordsFiltered(String shardId, String sequenceNumber, int dropped) {
        filtered.add(new Filtered(shardId, sequenceNumber, dropped));
    }
}
