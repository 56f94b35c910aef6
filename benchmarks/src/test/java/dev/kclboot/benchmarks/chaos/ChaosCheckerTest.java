package dev.kclboot.benchmarks.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The checker on hand-made logs: each rule holds on a clean history and fires on a broken one, with the exact count.
 * Times are plain numbers here (the checker only compares them).
 */
class ChaosCheckerTest {

    private static final String TWO_WRITES = """
            W 110 100 1 key-01 shard-A 1000
            W 111 101 2 key-01 shard-A 1001
            """;

    @Test
    void aCleanHistoryKeepsEveryRule() {
        ChaosReport report = check(TWO_WRITES, Map.of("w1.1.log", """
                P 150 w1.1 START
                I 200 w1.1/1 shard-A
                B 210 w1.1/1 shard-A 1 2 TRIM_HORIZON
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                D 212 w1.1/1 shard-A 1 1001 0 2 key-01
                C 220 w1.1/1 shard-A 1 1001/0
                S 300 w1.1/1 shard-A REQUESTED
                P 310 w1.1 STOPPED true
                Q 311 w1.1 calls=10 DynamoDb:THROTTLE=2 Kinesis:TIMEOUT_AFTER=1
                """), "A 50 START w1.1 1234\n");
        assertThat(report.violations()).isEmpty();
        assertThat(report.written()).isEqualTo(2);
        assertThat(report.deliveries()).isEqualTo(2);
        assertThat(report.duplicates()).isZero();
        assertThat(report.faultsInjected()).containsEntry("DynamoDb:THROTTLE", 2L).containsEntry("calls", 10L);
        assertThat(report.format()).contains("VERDICT: every rule held");
    }

    @Test
    void anIdNeverDeliveredIsLost() {
        ChaosReport report = check(TWO_WRITES, Map.of("w1.1.log", """
                I 200 w1.1/1 shard-A
                B 210 w1.1/1 shard-A 1 1 TRIM_HORIZON
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                C 220 w1.1/1 shard-A 1 1000/0
                """), "");
        assertThat(report.lost().count()).isEqualTo(1);
        assertThat(report.lost().examples()).singleElement().asString().contains("W 111 101 2 key-01");
        assertThat(report.violations()).singleElement().asString().contains("lost");
    }

    @Test
    void aKeysLaterWriteFirstDeliveredBeforeAnEarlierOneBreaksOrderAcrossShardsAndWorkers() {
        ChaosReport report = check("""
                W 110 100 1 key-01 shard-P 1000
                W 130 120 2 key-01 shard-C 2000
                W 131 121 3 key-01 shard-C 2001
                """, Map.of("w1.1.log", """
                I 200 w1.1/1 shard-P
                B 400 w1.1/1 shard-P 1 1 TRIM_HORIZON
                D 401 w1.1/1 shard-P 1 1000 0 1 key-01
                """, "w2.1.log", """
                I 200 w2.1/1 shard-C
                B 300 w2.1/1 shard-C 1 2 TRIM_HORIZON
                D 301 w2.1/1 shard-C 1 2000 0 2 key-01
                D 302 w2.1/1 shard-C 1 2001 0 3 key-01
                """), "");
        // id 2 came before id 1; id 3 after id 2 is fine: one violation, not two.
        assertThat(report.orderViolations().count()).isEqualTo(1);
        assertThat(report.orderViolations().examples().get(0)).contains("id 2").contains("before id 1");
        assertThat(report.violations()).anyMatch(v -> v.contains("order"));
    }

    @Test
    void aFinishedShardLeasedAndReadAgainIsAReReadAndItsDuplicatesAreUnexplained() {
        ChaosReport report = check("W 110 100 1 key-01 shard-P 1000\n", Map.of("w1.1.log", """
                I 200 w1.1/1 shard-P
                B 210 w1.1/1 shard-P 1 1 TRIM_HORIZON
                D 211 w1.1/1 shard-P 1 1000 0 1 key-01
                C 212 w1.1/1 shard-P 1 1000/0
                S 220 w1.1/1 shard-P TERMINATE
                C 221 w1.1/1 shard-P 1 SHARD_END
                """, "w2.1.log", """
                I 500 w2.1/1 shard-P
                B 510 w2.1/1 shard-P 1 1 TRIM_HORIZON
                D 511 w2.1/1 shard-P 1 1000 0 1 key-01
                """), "");
        assertThat(report.rereadInitializes().count()).isEqualTo(1);
        assertThat(report.rereadDeliveries().count()).isEqualTo(1);
        assertThat(report.rereadDeliveries().examples().get(0)).contains("w2.1.log:3").contains("SHARD_END");
        assertThat(report.unexplained()).containsOnlyKeys("re-read of a finished shard");
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.moves()).singleElement()
                .satisfies(move -> assertThat(move.cause()).isEqualTo("shard ended (TERMINATE), leased again"));
    }

    @Test
    void afterAKillTheUncheckpointedBatchComingAgainIsExplainedAndWithinTheBound() {
        ChaosReport report = check("""
                W 110 100 1 key-01 shard-A 1000
                W 111 101 2 key-02 shard-A 1001
                W 112 102 3 key-03 shard-A 1002
                W 113 103 4 key-04 shard-A 1003
                """, Map.of("w1.1.log", """
                I 200 w1.1/1 shard-A
                B 210 w1.1/1 shard-A 1 2 TRIM_HORIZON
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                D 212 w1.1/1 shard-A 1 1001 0 2 key-02
                C 213 w1.1/1 shard-A 1 1001/0
                B 220 w1.1/1 shard-A 2 2 1001
                D 221 w1.1/1 shard-A 2 1002 0 3 key-03
                D 222 w1.1/1 shard-A 2 1003 0 4 key-04
                """, "w2.1.log", """
                I 600 w2.1/1 shard-A
                B 610 w2.1/1 shard-A 1 2 1001
                D 611 w2.1/1 shard-A 1 1002 0 3 key-03
                D 612 w2.1/1 shard-A 1 1003 0 4 key-04
                C 613 w2.1/1 shard-A 1 1003/0
                """), """
                A 50 START w1.1 1
                A 300 KILL w1.1
                A 301 KILLED w1.1 137
                """);
        assertThat(report.duplicates()).isEqualTo(2);
        assertThat(report.explainedDuplicates()).isEqualTo(2);
        assertThat(report.unexplainedDuplicates()).isZero();
        assertThat(report.moves()).singleElement().satisfies(move -> {
            assertThat(move.cause()).isEqualTo("kill -9");
            assertThat(move.duplicates()).isEqualTo(2);
            assertThat(move.batches()).isEqualTo(1);
            assertThat(move.overBound()).isFalse();
        });
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void aNewTenureRepeatingRecordsBelowACheckpointThatHadSucceededIsUnexplained() {
        ChaosReport report = check(TWO_WRITES, Map.of("w1.1.log", """
                I 200 w1.1/1 shard-A
                B 210 w1.1/1 shard-A 1 2 TRIM_HORIZON
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                D 212 w1.1/1 shard-A 1 1001 0 2 key-01
                C 213 w1.1/1 shard-A 1 1001/0
                S 220 w1.1/1 shard-A REQUESTED
                """, "w2.1.log", """
                I 300 w2.1/1 shard-A
                B 310 w2.1/1 shard-A 1 2 TRIM_HORIZON
                D 311 w2.1/1 shard-A 1 1000 0 1 key-01
                D 312 w2.1/1 shard-A 1 1001 0 2 key-01
                """), "");
        assertThat(report.unexplained()).containsOnlyKeys(
                "at or below a checkpoint that had succeeded before the tenure began");
        assertThat(report.unexplainedDuplicates()).isEqualTo(2);
        assertThat(report.moves()).singleElement().satisfies(move -> {
            assertThat(move.cause()).isEqualTo("released (graceful shutdown)");
            assertThat(move.overBound()).isTrue(); // a checkpointed batch came again
        });
        assertThat(report.format()).contains("tenures that began below a known checkpoint").contains("w2.1.log:2");
    }

    @Test
    void aBatchWhoseProcessingThrewMayComeAgainInTheSameTenureButNothingElseMay() {
        ChaosReport report = check(TWO_WRITES, Map.of("w1.1.log", """
                I 200 w1.1/1 shard-A
                B 210 w1.1/1 shard-A 1 1 TRIM_HORIZON
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                T 212 w1.1/1 shard-A 1 InjectedProcessingFailure
                B 220 w1.1/1 shard-A 2 1 TRIM_HORIZON
                D 221 w1.1/1 shard-A 2 1000 0 1 key-01
                C 222 w1.1/1 shard-A 2 1000/0
                B 230 w1.1/1 shard-A 3 1 1000
                D 231 w1.1/1 shard-A 3 1001 0 2 key-01
                C 232 w1.1/1 shard-A 3 1001/0
                B 240 w1.1/1 shard-A 4 1 1001
                D 241 w1.1/1 shard-A 4 1001 0 2 key-01
                """), "");
        assertThat(report.explained()).containsOnlyKeys("failed batch delivered again");
        assertThat(report.explainedDuplicates()).isEqualTo(1);
        assertThat(report.unexplained()).containsOnlyKeys("delivered twice in one tenure without a failed batch");
        assertThat(report.unexplainedDuplicates()).isEqualTo(1);
    }

    @Test
    void duplicatesAreCountedExactlyNotAsDistinctRecords() {
        ChaosReport report = check("W 110 100 1 key-01 shard-A 1000\n", Map.of("w1.1.log", """
                I 200 w1.1/1 shard-A
                B 210 w1.1/1 shard-A 1 1 TRIM_HORIZON
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                T 212 w1.1/1 shard-A 1 InjectedProcessingFailure
                B 220 w1.1/1 shard-A 2 1 TRIM_HORIZON
                D 221 w1.1/1 shard-A 2 1000 0 1 key-01
                T 222 w1.1/1 shard-A 2 InjectedProcessingFailure
                B 230 w1.1/1 shard-A 3 1 TRIM_HORIZON
                D 231 w1.1/1 shard-A 3 1000 0 1 key-01
                C 232 w1.1/1 shard-A 3 1000/0
                """), "");
        assertThat(report.deliveries()).isEqualTo(3);
        assertThat(report.duplicates()).isEqualTo(2);
        assertThat(report.distinctIdsDelivered()).isEqualTo(1);
    }

    @Test
    void aMoveMayRepeatOneUncheckpointedBatchPlusThoseWhoseCheckpointFailed() {
        String writes = """
                W 110 100 1 key-01 shard-A 1000
                W 111 101 2 key-02 shard-A 1001
                W 112 102 3 key-03 shard-A 1002
                """;
        String first = """
                I 200 w1.1/1 shard-A
                B 210 w1.1/1 shard-A 1 1 TRIM_HORIZON
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                E 212 w1.1/1 shard-A 1 1 ThrottlingException
                B 220 w1.1/1 shard-A 2 1 TRIM_HORIZON
                D 221 w1.1/1 shard-A 2 1001 0 2 key-02
                %s
                B 230 w1.1/1 shard-A 3 1 TRIM_HORIZON
                D 231 w1.1/1 shard-A 3 1002 0 3 key-03
                """;
        String second = """
                I 600 w2.1/1 shard-A
                B 610 w2.1/1 shard-A 1 3 TRIM_HORIZON
                D 611 w2.1/1 shard-A 1 1000 0 1 key-01
                D 612 w2.1/1 shard-A 1 1001 0 2 key-02
                D 613 w2.1/1 shard-A 1 1002 0 3 key-03
                """;
        String kill = "A 300 KILL w1.1\n";
        // Batch 1's checkpoint failed, batch 2's too, batch 3 was in flight: three batches, all accounted for.
        ChaosReport within = check(writes, Map.of("w1.1.log", first.formatted("E 222 w1.1/1 shard-A 2 1 DependencyException"),
                "w2.1.log", second), kill);
        assertThat(within.movesOverBound().count()).isZero();
        assertThat(within.explainedDuplicates()).isEqualTo(3);
        // Batch 2 never tried to checkpoint (no E, no C): one batch more than the bound.
        ChaosReport over = check(writes, Map.of("w1.1.log", first.formatted(""), "w2.1.log", second), kill);
        assertThat(over.movesOverBound().count()).isEqualTo(1);
        assertThat(over.violations()).anyMatch(v -> v.contains("un-checkpointed batch"));
    }

    @Test
    void anOldTenureDeliveringWhatItsSuccessorAlreadyDeliveredIsUnexplained() {
        ChaosReport report = check(TWO_WRITES, Map.of("w1.1.log", """
                I 200 w1.1/1 shard-A
                B 210 w1.1/1 shard-A 1 1 TRIM_HORIZON
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                B 400 w1.1/1 shard-A 2 1 TRIM_HORIZON
                D 401 w1.1/1 shard-A 2 1001 0 2 key-01
                """, "w2.1.log", """
                I 300 w2.1/1 shard-A
                B 310 w2.1/1 shard-A 1 2 TRIM_HORIZON
                D 311 w2.1/1 shard-A 1 1000 0 1 key-01
                D 312 w2.1/1 shard-A 1 1001 0 2 key-01
                """), "");
        assertThat(report.unexplained()).containsKeys("delivered by an old tenure after its successor had delivered it");
        assertThat(report.format()).contains("deliveries by a tenure after a newer one began");
        // w1.1/1 never got a shutdown while its process lived on.
        assertThat(report.abandonedTenures().count()).isEqualTo(1);
    }

    @Test
    void recoveryIsTheTimeUntilTheLastShardDeliversARecordWrittenAfterTheEvent() {
        long s = 1_000_000_000L;
        ChaosReport report = check("""
                W %d %d 1 key-01 shard-A 1000
                W %d %d 2 key-02 shard-B 2000
                W %d %d 3 key-03 shard-C 3000
                """.formatted(11 * s, 11 * s, 11 * s, 11 * s, 12 * s, 12 * s), Map.of("w1.1.log", """
                I 1 w1.1/1 shard-A
                I 2 w1.1/2 shard-B
                B %d w1.1/1 shard-A 1 1 TRIM_HORIZON
                D %d w1.1/1 shard-A 1 1000 0 1 key-01
                B %d w1.1/2 shard-B 1 1 TRIM_HORIZON
                D %d w1.1/2 shard-B 1 2000 0 2 key-02
                """.formatted(12 * s, 12 * s, 14 * s, 14 * s)), """
                A 0 START w1.1 1
                A %d KILL w2.1
                """.formatted(10 * s));
        assertThat(report.recoveries()).singleElement().satisfies(recovery -> {
            assertThat(recovery.event()).isEqualTo("kill -9 of w2.1");
            assertThat(recovery.recovered()).isFalse(); // shard-C's record was never delivered
            assertThat(recovery.slowest()).isEqualTo("shard-C");
        });
        ChaosReport recovered = check("""
                W %d %d 1 key-01 shard-A 1000
                W %d %d 2 key-02 shard-B 2000
                """.formatted(11 * s, 11 * s, 11 * s, 11 * s), Map.of("w1.1.log", """
                I 1 w1.1/1 shard-A
                I 2 w1.1/2 shard-B
                D %d w1.1/1 shard-A 1 1000 0 1 key-01
                D %d w1.1/2 shard-B 1 2000 0 2 key-02
                """.formatted(12 * s, 14 * s)), "A %d KILL w2.1\n".formatted(10 * s));
        assertThat(recovered.recoveries()).singleElement().satisfies(recovery -> {
            assertThat(recovery.time()).isEqualTo(Duration.ofSeconds(4));
            assertThat(recovery.slowest()).isEqualTo("shard-B");
        });
    }

    @Test
    void aWorkerProcessThatExitsByItselfBreaksARule() {
        ChaosReport report = check("", Map.of("w1.1.log", """
                P 100 w1.1 START
                P 200 w1.1 START_FAILED ProvisionedThroughputExceededException
                """), """
                A 50 START w1.1 1
                A 300 EXITED w1.1 3
                """);
        assertThat(report.unexpectedExits().count()).isEqualTo(1);
        assertThat(report.startFailures().count()).isEqualTo(1);
        assertThat(report.violations()).singleElement().asString().contains("exited by themselves");
    }

    @Test
    void inconsistentLogsAreHarnessProblemsNotPasses() {
        ChaosReport report = check(TWO_WRITES, Map.of("w1.1.log", """
                D 211 w1.1/1 shard-A 1 1000 0 1 key-01
                I 300 w1.1/1 shard-A
                D 311 w1.1/1 shard-A 1 1001 0 2 key-99
                """), "");
        assertThat(report.harnessProblems().count()).isEqualTo(2);
        assertThat(report.violations()).anyMatch(v -> v.contains("harness"));
        assertThatIllegalArgumentException().isThrownBy(() -> ChaosLogs.parse(List.of("W 1 2 3"), Map.of(), List.of()))
                .withMessageContaining("producer.log:1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ChaosLogs.parse(List.of(), Map.of("w1.1.log", List.of("W 1 1 1 k s 1")), List.of()))
                .withMessageContaining("does not belong");
    }

    @Test
    void workerLinesOfDifferentProcessesAreMergedByTime() {
        ChaosLogs logs = ChaosLogs.parse(List.of(), Map.of("w2.1.log", List.of("I 150 w2.1/1 b", "I 300 w2.1/2 c"),
                "w1.1.log", List.of("I 100 w1.1/1 a", "I 200 w1.1/2 d")), List.of());
        assertThat(logs.workerLines()).extracting(LogLine::shard).containsExactly("a", "b", "d", "c");
    }

    @Test
    void positionsCompareAsNumbersWithSentinelsAtTheEnds() {
        assertThat(Position.parse("99/0")).isLessThan(Position.parse("100/0"));
        assertThat(Position.parse("100/1")).isGreaterThan(Position.parse("100"));
        assertThat(Position.parse("TRIM_HORIZON")).isLessThan(Position.parse("1/0"));
        assertThat(Position.parse("SHARD_END")).isGreaterThan(Position.parse("49590338271490256608559692538361571095921575989136588898/0"));
    }

    private static ChaosReport check(String producer, Map<String, String> workers, String actions) {
        Map<String, List<String>> workerLines = new java.util.TreeMap<>();
        workers.forEach((name, text) -> workerLines.put(name, lines(text)));
        return ChaosChecker.check(ChaosLogs.parse(lines(producer), workerLines, lines(actions)));
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
