package dev.kclboot.benchmarks;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchmarkSettingsTest {

    @Test
    void defaultsAreTheFiguresOfTheIssue() {
        BenchmarkSettings settings = BenchmarkSettings.parse(new String[0], new Properties());
        assertThat(settings.records()).isEqualTo(200_000);
        assertThat(settings.payloadBytes()).isEqualTo(100);
        assertThat(settings.shards()).isEqualTo(4);
        assertThat(settings.maxRecords()).isEqualTo(10_000);
        assertThat(settings.idleTimeBetweenReads()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void argumentsWinOverSystemProperties() {
        Properties properties = new Properties();
        properties.setProperty("bench.records", "5000");
        properties.setProperty("bench.shards", "2");
        properties.setProperty("unrelated", "x");
        BenchmarkSettings settings = BenchmarkSettings.parse(
                new String[] { "--records=20_000", "--idleTimeBetweenReadsMs=50", "--meters=false" }, properties);
        assertThat(settings.records()).isEqualTo(20_000);
        assertThat(settings.shards()).isEqualTo(2);
        assertThat(settings.idleTimeBetweenReads()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.meters()).isFalse();
    }

    @Test
    void unknownOrBadSettingsAreNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkSettings.parse(new String[] { "--recods=1" },
                new Properties())).withMessageContaining("recods");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkSettings.parse(
                new String[] { "--maxRecords=20000" }, new Properties())).withMessageContaining("maxRecords");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkSettings.parse(new String[] { "records=5" },
                new Properties())).withMessageContaining("--name=value");
    }

    @Test
    void figuresFormatRatesAndSizes() {
        assertThat(Figures.perSecond(1000, 500_000_000L)).isEqualTo(2000.0);
        assertThat(Figures.rate(37_123.4)).isEqualTo("37,123 rec/s");
        assertThat(Figures.ratio(0.934)).isEqualTo("0.93x");
        assertThat(Figures.megabytesDelta(-3 * 1024 * 1024 / 2)).isEqualTo("-1.5 MB");
        assertThat(Figures.bytes(1536)).isEqualTo("1.5 KB");
    }
}
