package dev.kclboot.multilang.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kclboot.multilang.protocol.ChildMessage.CheckpointRequest;
import dev.kclboot.multilang.protocol.ChildMessage.Status;
import org.junit.jupiter.api.Test;

class ChildLineParserTest {

    private final ChildLineParser parser = new ChildLineParser();

    @Test
    void readsKclpysLinesWithTheirSpaces() {
        assertThat(parser.parse("{\"action\": \"status\", \"responseFor\": \"processRecords\"}").message())
                .isEqualTo(new Status("processRecords"));
        assertThat(parser.parse("{\"action\": \"checkpoint\", \"sequenceNumber\": \"4959\", \"subSequenceNumber\": 2}")
                .message()).isEqualTo(new CheckpointRequest("4959", 2L, null));
        assertThat(parser.parse("{\"action\": \"checkpoint\", \"sequenceNumber\": null, \"subSequenceNumber\": null}")
                .message()).isEqualTo(CheckpointRequest.atLastRecord());
    }

    @Test
    void isLenientWhereTheDaemonSkipsTheLineAndHangs() {
        // Node's aws-kcl leaves subSequenceNumber out; unknown fields, even nested, are ignored.
        assertThat(parser.parse("{\"action\":\"checkpoint\",\"sequenceNumber\":\"12\"}").message())
                .isEqualTo(new CheckpointRequest("12", null, null));
        assertThat(parser.parse("{\"action\":\"checkpoint\"}").message()).isEqualTo(CheckpointRequest.atLastRecord());
        assertThat(parser.parse("{\"action\":\"status\",\"responseFor\":\"initialize\",\"extra\":{\"a\":[1,{\"b\":2}]}}")
                .message()).isEqualTo(new Status("initialize"));
        assertThat(parser.parse("{\"checkpoint\":\"12\",\"action\":\"checkpoint\",\"sequenceNumber\":12345678901234567890123}")
                .message()).isEqualTo(new CheckpointRequest("12345678901234567890123", null, null));
        assertThat(parser.parse("  {\"action\":\"status\",\"responseFor\":\"leaseLost\"}\r").message())
                .isEqualTo(new Status("leaseLost"));
    }

    @Test
    void unusablePositionsBecomeAnErrorReplyNotACrash() {
        CheckpointRequest object = (CheckpointRequest) parser.parse(
                "{\"action\":\"checkpoint\",\"sequenceNumber\":{\"x\":1},\"subSequenceNumber\":0}").message();
        assertThat(object.problem()).isEqualTo("sequenceNumber must be a string or null, was START_OBJECT");
        CheckpointRequest fraction = (CheckpointRequest) parser.parse(
                "{\"action\":\"checkpoint\",\"sequenceNumber\":\"1\",\"subSequenceNumber\":1.5}").message();
        assertThat(fraction.problem()).isEqualTo("subSequenceNumber must be a whole number or null, was VALUE_NUMBER_FLOAT");
    }

    @Test
    void strayOutputIsClassifiedNotFatal() {
        assertThat(parser.parse("").isBlank()).isTrue();
        assertThat(parser.parse("   ").isBlank()).isTrue();
        assertThat(parser.parse("hello from print()").strayReason()).isEqualTo("not a JSON object");
        assertThat(parser.parse("[1, 2]").strayReason()).isEqualTo("not a JSON object");
        assertThat(parser.parse("{\"action\": \"status\", \"respo").strayReason()).startsWith("not valid JSON");
        assertThat(parser.parse("{\"action\":\"status\",\"responseFor\":\"x\"} trailing").strayReason())
                .startsWith("not valid JSON");
        assertThat(parser.parse("{\"responseFor\":\"x\"}").strayReason()).isEqualTo("no string \"action\" field");
        assertThat(parser.parse("{\"action\":\"fly\"}").strayReason()).isEqualTo("unknown action \"fly\"");
    }

    @Test
    void aStatusWithoutResponseForBreaksTheProtocol() {
        assertThatThrownBy(() -> parser.parse("{\"action\":\"status\"}"))
                .isInstanceOf(ProtocolViolationException.class).hasMessageStartingWith("status without a string");
        assertThatThrownBy(() -> parser.parse("{\"action\":\"status\",\"responseFor\":7}"))
                .isInstanceOf(ProtocolViolationException.class);
    }
}
