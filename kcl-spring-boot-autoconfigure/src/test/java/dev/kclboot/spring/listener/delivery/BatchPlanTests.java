package dev.kclboot.spring.listener.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bisect planner, pure: which parts a failing batch is delivered in, and in which order records are done.
 */
class BatchPlanTests {

    @Test
    void bisectingIsolatesTwoPoisonRecordsAmongSixteenAndDoesTheOthersInOrder() {
        List<Integer> batch = IntStream.range(0, 16).boxed().toList();
        Set<Integer> poison = Set.of(5, 11);
        BatchPlan<Integer> plan = new BatchPlan<>(batch);
        List<List<Integer>> calls = new ArrayList<>();
        List<Integer> done = new ArrayList<>();
        List<Integer> isolated = new ArrayList<>();
        while (!plan.isEmpty()) {
            List<Integer> part = plan.current();
            calls.add(part);
            if (part.stream().noneMatch(poison::contains)) {
                done.addAll(part);
                plan.succeeded();
            }
            else if (plan.canSplit()) {
                plan.split();
            }
            else {
                // Isolated: in the container it follows the retry and recoverer rules; here it is recovered.
                isolated.add(part.get(0));
                done.addAll(part);
                plan.succeeded();
            }
        }
        assertThat(isolated).containsExactly(5, 11);
        assertThat(done).containsExactlyElementsOf(batch);
        assertThat(calls).containsExactly(range(0, 16), range(0, 8), range(0, 4), range(4, 8), range(4, 6),
                List.of(4), List.of(5), range(6, 8), range(8, 16), range(8, 12), range(8, 10), range(10, 12),
                List.of(10), List.of(11), range(12, 16));
    }

    @Test
    void anOddPartSplitsWithTheSmallerHalfFirst() {
        BatchPlan<String> plan = new BatchPlan<>(List.of("a", "b", "c", "d", "e"));
        plan.split();
        assertThat(plan.current()).containsExactly("a", "b");
        plan.succeeded();
        assertThat(plan.current()).containsExactly("c", "d", "e");
        plan.succeeded();
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void aPartialFailureDropsTheRecordsBeforeTheFailedOneAndTheRestComesUpAgain() {
        BatchPlan<String> plan = new BatchPlan<>(List.of("a", "b", "c", "d"));
        assertThat(plan.dropFirst(2)).containsExactly("a", "b");
        assertThat(plan.current()).containsExactly("c", "d");
        assertThat(plan.dropFirst(0)).isEmpty();
        assertThat(plan.current()).containsExactly("c", "d");
        assertThat(plan.dropFirst(2)).containsExactly("c", "d");
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void aPartialFailureInsideASplitPartLeavesTheLaterPartsAlone() {
        BatchPlan<String> plan = new BatchPlan<>(List.of("a", "b", "c", "d"));
        plan.split();
        assertThat(plan.dropFirst(1)).containsExactly("a");
        assertThat(plan.current()).containsExactly("b");
        assertThat(plan.remove("b")).isTrue();
        assertThat(plan.current()).containsExactly("c", "d");
    }

    @Test
    void removingARecordKeepsTheOthersOfThePartInOrder() {
        BatchPlan<String> plan = new BatchPlan<>(List.of("a", "b", "c"));
        assertThat(plan.remove("x")).isFalse();
        assertThat(plan.remove("b")).isTrue();
        assertThat(plan.current()).containsExactly("a", "c");
        assertThat(plan.canSplit()).isTrue();
        plan.remove("a");
        plan.remove("c");
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void aSingleRecordCannotBeSplitAndAnEmptyBatchHasNothingToDeliver() {
        BatchPlan<String> plan = new BatchPlan<>(List.of("a"));
        assertThat(plan.canSplit()).isFalse();
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(plan::split);
        assertThat(new BatchPlan<String>(List.of()).isEmpty()).isTrue();
        assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> plan.dropFirst(2));
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
