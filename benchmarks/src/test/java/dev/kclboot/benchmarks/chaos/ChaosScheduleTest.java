package dev.kclboot.benchmarks.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.kclboot.benchmarks.chaos.ChaosSchedule.Kind;
import dev.kclboot.benchmarks.chaos.ChaosSchedule.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChaosScheduleTest {

    @Test
    void theCiRunGoesThroughEveryKindOfDisruptionAndThreeGenerationsOfShards() {
        List<Step> plan = ChaosSchedule.plan(ChaosSettings.ci());
        assertThat(plan).extracting(Step::kind).containsExactly(Kind.SPLIT, Kind.KILL, Kind.MERGE_CHILDREN,
                Kind.RESTART, Kind.DYNAMODB_OUTAGE, Kind.SPLIT_MERGED);
        assertThat(plan).extracting(Step::at).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(22),
                Duration.ofSeconds(34), Duration.ofSeconds(46), Duration.ofSeconds(58), Duration.ofSeconds(70));
        // The last disruption leaves the quiet end of the run to heal in.
        assertThat(plan.get(plan.size() - 1).at()).isLessThanOrEqualTo(
                ChaosSettings.ci().duration().minus(ChaosSchedule.QUIET_END));
    }

    @Test
    void anOutageLongerThanTheIntervalPushesTheNextActionBack() {
        Properties properties = new Properties();
        properties.setProperty("chaos.outage", "30s");
        properties.setProperty("chaos.duration", "5m");
        List<Step> plan = ChaosSchedule.plan(ChaosSettings.parse(properties, ChaosSettings.LONG));
        int outage = plan.stream().map(Step::kind).toList().indexOf(Kind.DYNAMODB_OUTAGE);
        assertThat(plan.get(outage + 1).at()).isEqualTo(plan.get(outage).at().plusSeconds(30));
        // A long run repeats the cycle.
        assertThat(plan.stream().filter(step -> step.kind() == Kind.KILL).count()).isGreaterThan(1);
    }

    @Test
    void settingsComeFromChaosPropertiesAndUnknownOnesAreRefused() {
        Properties properties = new Properties();
        properties.setProperty("chaos.duration", "30m");
        properties.setProperty("chaos.seed", "7");
        properties.setProperty("chaos.faultRate", "0.05");
        properties.setProperty("chaos.putInterval", "500ms");
        properties.setProperty("unrelated", "x");
        ChaosSettings settings = ChaosSettings.parse(properties, ChaosSettings.LONG);
        assertThat(settings.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.seed()).isEqualTo(7);
        assertThat(settings.faultRate()).isEqualTo(0.05);
        assertThat(settings.putInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.workers()).isEqualTo(3);
        properties.setProperty("chaos.dureation", "1m");
        assertThatIllegalArgumentException().isThrownBy(() -> ChaosSettings.parse(properties, ChaosSettings.LONG))
                .withMessageContaining("chaos.dureation");
        assertThatIllegalArgumentException().isThrownBy(() -> ChaosSettings.duration("ten minutes"));
    }

    @Test
    void workerOptionsSurviveTheCommandLine() {
        WorkerOptions options = new WorkerOptions("w2.3", "stream-1", "app-1", java.net.URI.create("http://127.0.0.1:1"),
                java.net.URI.create("http://127.0.0.1:2"), java.nio.file.Path.of("/tmp/w2.3.log"), 0.1, 0.01, -5,
                Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofSeconds(2), 1234);
        assertThat(WorkerOptions.parse(options.toArgs().toArray(String[]::new))).isEqualTo(options);
    }
}
