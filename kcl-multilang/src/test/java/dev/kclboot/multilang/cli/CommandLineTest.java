package dev.kclboot.multilang.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void takesTheDaemonsFormsAndTheHostsFlags() {
        assertThat(CommandLine.parse("app.properties").propertiesFile()).isEqualTo("app.properties");
        assertThat(CommandLine.parse("-p", "app.properties").propertiesFile()).isEqualTo("app.properties");
        CommandLine full = CommandLine.parse("--properties-file", "a.properties", "-l", "logback.xml",
                "--management-port", "8081", "--management-address", "127.0.0.1", "--log-metrics", "30s");
        assertThat(full.logConfiguration()).isEqualTo(Path.of("logback.xml"));
        assertThat(full.managementPort()).isEqualTo(8081);
        assertThat(full.managementAddress()).isEqualTo("127.0.0.1");
        assertThat(full.logMetricsEvery()).isEqualTo(Duration.ofSeconds(30));
        assertThat(CommandLine.parse("a.properties", "--log-metrics", "PT2M").logMetricsEvery())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(CommandLine.parse("--help").help()).isTrue();
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(CommandLine::parse).isInstanceOf(UsageException.class).hasMessage("No properties file given");
        assertThatThrownBy(() -> CommandLine.parse("-p")).hasMessage("-p needs a value");
        assertThatThrownBy(() -> CommandLine.parse("a", "b")).hasMessageStartingWith("Only one properties file");
        assertThatThrownBy(() -> CommandLine.parse("a", "--verbose")).hasMessage("Unknown option --verbose");
        assertThatThrownBy(() -> CommandLine.parse("a", "--management-port", "http"))
                .hasMessageStartingWith("--management-port must be a port number");
        assertThatThrownBy(() -> CommandLine.parse("a", "--log-metrics", "often"))
                .hasMessageStartingWith("--log-metrics must be a positive duration");
    }
}
