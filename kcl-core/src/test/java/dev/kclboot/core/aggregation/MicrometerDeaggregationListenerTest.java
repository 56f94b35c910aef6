package dev.kclboot.core.aggregation;

import java.util.List;

import dev.kclboot.test.kpl.KplAggregate;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static dev.kclboot.core.aggregation.TestRecords.HALF;
import static dev.kclboot.core.aggregation.TestRecords.LOWER_HALF;
import static dev.kclboot.core.aggregation.TestRecords.SHARD;
import static dev.kclboot.core.aggregation.TestRecords.record;
import static dev.kclboot.core.aggregation.TestRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class MicrometerDeaggregationListenerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final RecordDeaggregator deaggregator = new RecordDeaggregator(
            new MicrometerDeaggregationListener(registry, List.of(Tag.of("stream", "orders"))));

    @Test
    void countersExistFromTheStartAtZero() {
        assertThat(registry.get(MicrometerDeaggregationListener.FAILURES).tag("stream", "orders").counter().count())
                .isZero();
        assertThat(registry.get(MicrometerDeaggregationListener.FILTERED).tag("stream", "orders").counter().count())
                .isZero();
    }

    @Test
    void countsCorruptAggregatesAndFilteredUserRecords() {
        byte[] corrupt = KplAggregate.builder().add("a", "x").build().bytes();
        corrupt[5] ^= 0x01;
        byte[] mixed = KplAggregate.builder()
                .add("k", "1", utf8("kept"))
                .add("k", HALF.toString(), utf8("dropped"))
                .add("k", HALF.add(HALF.shiftRight(1)).toString(), utf8("dropped too"))
                .build().bytes();

        deaggregator.deaggregate(SHARD, record("1", "a", corrupt), null);
        deaggregator.deaggregate(SHARD, record("2", "a", corrupt), null);
        deaggregator.deaggregate(SHARD, record("3", "k", mixed), LOWER_HALF);
        deaggregator.deaggregate(SHARD, record("4", "plain", utf8("plain records count nowhere")), LOWER_HALF);

        assertThat(registry.get("kcl.records.deaggregation.failures").counter().count()).isEqualTo(2);
        assertThat(registry.get("kcl.records.deaggregation.filtered").counter().count()).isEqualTo(2);
    }
}
