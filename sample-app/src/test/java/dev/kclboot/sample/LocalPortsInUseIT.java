package dev.kclboot.sample;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Local mode on a port that another program holds: the start fails with a report naming the port and the property
 * that moves it, not a stack trace from the emulator launcher.
 */
@ExtendWith(OutputCaptureExtension.class)
class LocalPortsInUseIT {

    @Test
    void aBusyKinesisPortIsNamedWithItsProperty(CapturedOutput output) throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = busy.getLocalPort();
            assertThatException().isThrownBy(() -> new SpringApplicationBuilder(SampleApplication.class)
                    .web(WebApplicationType.NONE).run("--sample.local-mode=true",
                            "--sample.local.kinesis-port=" + port, "--sample.local.dynamodb-port=0"));
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("but port " + port + " (kinesis-local, sample.local.kinesis-port) is in use")
                    .contains("--sample.local.kinesis-port=14567");
        }
    }
}
