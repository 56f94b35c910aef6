package dev.kclboot.benchmarks.scale;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class CallCountsTest {

    private static CallCounts counts(Object... kindRequestsUnits) {
        java.util.Map<String, CallCounts.Tally> kinds = new java.util.TreeMap<>();
        for (int i = 0; i < kindRequestsUnits.length; i += 3) {
            kinds.put((String) kindRequestsUnits[i], new CallCounts.Tally(((Number) kindRequestsUnits[i + 1]).longValue(),
                    ((Number) kindRequestsUnits[i + 2]).doubleValue()));
        }
        return new CallCounts(kinds);
    }

    @Test
    void aWindowIsTheDifferenceOfTwoSnapshotsWithoutKindsThatDidNotMove() {
        CallCounts before = counts("Scan", 10, 5.0, "UpdateItem:renew", 100, 100.0);
        CallCounts after = counts("Scan", 12, 6.0, "UpdateItem:renew", 100, 100.0, "GetItem", 1, 1.0);
        CallCounts window = after.minus(before);
        assertThat(window.kinds()).containsOnlyKeys("Scan", "GetItem");
        assertThat(window.kinds().get("Scan")).isEqualTo(new CallCounts.Tally(2, 1.0));
        assertThat(window.total()).isEqualTo(new CallCounts.Tally(3, 2.0));
    }

    @Test
    void purposesFoldIntoTheirOperation() {
        CallCounts calls = counts("UpdateItem:renew", 30, 30.0, "UpdateItem:checkpoint", 5, 5.0, "UpdateItem", 2, 2.0,
                "Scan", 4, 2.0);
        assertThat(calls.byOperation()).containsExactly(Map.entry("Scan", new CallCounts.Tally(4, 2.0)),
                Map.entry("UpdateItem", new CallCounts.Tally(37, 37.0)));
        assertThat(calls.purposes()).containsOnlyKeys("UpdateItem:renew", "UpdateItem:checkpoint");
        assertThat(calls.plus(calls).total()).isEqualTo(new CallCounts.Tally(82, 78.0));
    }

    @Test
    void perShardHourScalesToOneShardAndOneHour() {
        // 1,080 requests by 4 leases in 300 s = 3,240 per shard-hour.
        assertThat(CallCounts.perShardHour(1_080, 4, 300_000_000_000L)).isCloseTo(3_240, within(1e-6));
        assertThat(CallCounts.perShardHour(5, 0, 1)).isZero();
    }

    @Test
    void theTextFormRoundTrips() {
        CallCounts calls = counts("Scan", 7, 3.5, "UpdateItem:renew", 90, 90.0);
        List<String> lines = new java.util.ArrayList<>(calls.lines());
        lines.add("some log line");
        assertThat(CallCounts.parse(lines)).isEqualTo(calls);
        assertThatIllegalArgumentException().isThrownBy(() -> CallCounts.parse(List.of("Scan\tx\t1")));
    }

    @Test
    void kclCoreUpdatesAreToldApartByTheirExpression() {
        assertThat(DynamoDbCallCounter.updatePurpose("ADD #counter :one")).isEqualTo("renew");
        assertThat(DynamoDbCallCounter.updatePurpose("SET #checkpoint = :checkpoint, #checkpointSub = :sub, "
                + "#switches = :zero REMOVE #pending, #pendingSub ADD #counter :one")).isEqualTo("checkpoint");
        assertThat(DynamoDbCallCounter.updatePurpose("REMOVE #owner ADD #counter :one")).isEqualTo("release");
        assertThat(DynamoDbCallCounter.updatePurpose("REMOVE #co, #cot ADD #counter :one")).isEqualTo("release");
        assertThat(DynamoDbCallCounter.updatePurpose("SET #counter = :next, #owner = :newOwner, #switches = :switches "
                + "REMOVE #co, #cot")).isEqualTo("take");
        assertThat(DynamoDbCallCounter.updatePurpose("ADD #counter :one REMOVE #co, #cot")).isEqualTo("take");
        assertThat(DynamoDbCallCounter.updatePurpose("SET #counter = :next, #owner = :newOwner, #co = :oldOwner, "
                + "#cot = :timeout, #switches = :switches")).isEqualTo("handoff");
        assertThat(DynamoDbCallCounter.updatePurpose(null)).isNull();
        assertThat(DynamoDbCallCounter.kindOf(UpdateItemRequest.builder().updateExpression("ADD #counter :one").build()))
                .isEqualTo("UpdateItem:renew");
        assertThat(DynamoDbCallCounter.kindOf(UpdateItemRequest.builder().build())).isEqualTo("UpdateItem");
        assertThat(DynamoDbCallCounter.kindOf(ScanRequest.builder().build())).isEqualTo("Scan");
    }
}
