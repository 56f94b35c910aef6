package dev.kclboot.multilang.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    @Test
    void splitsOnNewlinesDropsCarriageReturnsAndCutsLongLines() throws Exception {
        String input = "one\r\n\ntwo\n" + "x".repeat(50) + "\nl\u00e9\u732b\nlast";
        BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 20);
        assertThat(reader.readLine()).isEqualTo("one");
        assertThat(reader.readLine()).isEqualTo("");
        assertThat(reader.readLine()).isEqualTo("two");
        assertThat(reader.readLine()).isEqualTo("x".repeat(20));
        assertThat(reader.readLine()).isEqualTo("l\u00e9\u732b");
        assertThat(reader.readLine()).isEqualTo("last");
        assertThat(reader.readLine()).isNull();
    }
}
