package dev.kclboot.benchmarks.scale;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScaleSettingsTest {

    @Test
    void defaultsAreTheFiguresOfTheIssue() {
        ScaleSettings settings = ScaleSettings.parse(new String[0], new Properties());
        assertThat(settings.shards()).containsExactly(20, 100, 200);
        assertThat(settings.workers()).containsExactly(1, 2);
        assertThat(settings.latency()).isEqualTo(Duration.ofMillis(150));
        assertThat(settings.stall()).isEqualTo(Duration.ofSeconds(8));
        assertThat(settings.steady()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.idleShards()).isEqualTo(4);
        assertThat(settings.idle()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void listsDurationsAndPropertiesAreRead() {
        Properties properties = new Properties();
        properties.setProperty("bench.latencyMs", "50");
        ScaleSettings settings = ScaleSettings.parse(new String[] { "--shards=20, 40", "--stallShards=",
                "--steadyMs=PT20S", "--idleRun=false" }, properties);
        assertThat(settings.shards()).isEqualTo(List.of(20, 40));
        assertThat(settings.stallShards()).isEmpty();
        assertThat(settings.steady()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.latency()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.idleRun()).isFalse();
    }

    @Test
    void badSettingsAreNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScaleSettings.parse(new String[] { "--shard=20" },
                new Properties())).withMessageContaining("shard");
        assertThatIllegalArgumentException().isThrownBy(() -> ScaleSettings.parse(new String[] { "--workers=3" },
                new Properties())).withMessageContaining("workers");
        assertThatIllegalArgumentException().isThrownBy(() -> ScaleSettings.parse(new String[] { "--steadyMs=20000" },
                new Properties())).withMessageContaining("stall");
    }
}
