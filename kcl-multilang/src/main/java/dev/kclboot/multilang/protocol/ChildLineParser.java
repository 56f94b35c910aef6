package dev.kclboot.multilang.protocol;

import java.math.BigInteger;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads one stdout line of a child. More lenient than the KCL daemon, which silently skips a line with any field it
 * does not know and then waits forever: unknown fields (and nested values in them) are ignored; a sequence number
 * written as a JSON number is taken as its decimal text; {@code subSequenceNumber} may be left out (Node's aws-kcl
 * does). Lines that are not a JSON object with a string {@code action}, and unknown actions, are stray output.
 */
public final class ChildLineParser {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * @throws ProtocolViolationException for a {@code status} without a string {@code responseFor}
     */
    public ParsedLine parse(String line) {
        if (line.isBlank()) {
            return ParsedLine.BLANK;
        }
        String trimmed = line.strip();
        if (!trimmed.startsWith("{")) {
            return ParsedLine.stray("not a JSON object");
        }
        Fields fields;
        try {
            fields = read(trimmed);
        }
        catch (JacksonException ex) {
            return ParsedLine.stray("not valid JSON (" + ex.getOriginalMessage() + ")");
        }
        if (fields.action == null) {
            return ParsedLine.stray("no string \"action\" field");
        }
        switch (fields.action) {
            case "status":
                if (fields.responseFor == null) {
                    throw new ProtocolViolationException("status without a string \"responseFor\": " + abbreviate(trimmed));
                }
                return ParsedLine.message(new ChildMessage.Status(fields.responseFor));
            case "checkpoint":
                return ParsedLine.message(new ChildMessage.CheckpointRequest(fields.sequenceNumber,
                        fields.subSequenceNumber, fields.problem));
            default:
                return ParsedLine.stray("unknown action \"" + fields.action + "\"");
        }
    }

    private static Fields read(String json) {
        Fields fields = new Fields();
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("checked by the caller");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "action" -> fields.action = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
                    case "responseFor" -> fields.responseFor = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
                    case "sequenceNumber" -> fields.sequenceNumber(parser, value);
                    case "subSequenceNumber" -> fields.subSequenceNumber(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new TrailingContentException(parser);
            }
        }
        return fields;
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    /** The fields the protocol uses; everything else is skipped. */
    private static final class Fields {

        @Nullable String action;

        @Nullable String responseFor;

        @Nullable String sequenceNumber;

        @Nullable Long subSequenceNumber;

        @Nullable String problem;

        void sequenceNumber(JsonParser parser, JsonToken value) {
            if (value == JsonToken.VALUE_STRING) {
                sequenceNumber = parser.getString();
            }
            else if (value == JsonToken.VALUE_NUMBER_INT) {
                sequenceNumber = parser.getBigIntegerValue().toString();
            }
            else if (value != JsonToken.VALUE_NULL) {
                parser.skipChildren();
                problem = "sequenceNumber must be a string or null, was " + value;
            }
        }

        void subSequenceNumber(JsonParser parser, JsonToken value) {
            if (value == JsonToken.VALUE_NUMBER_INT) {
                BigInteger number = parser.getBigIntegerValue();
                if (number.bitLength() < 64) {
                    subSequenceNumber = number.longValue();
                }
                else {
                    problem = "subSequenceNumber out of range: " + number;
                }
            }
            else if (value != JsonToken.VALUE_NULL) {
                parser.skipChildren();
                problem = "subSequenceNumber must be a whole number or null, was " + value;
            }
        }
    }

    /** Something follows the object on the line: not one JSON object. */
    private static final class TrailingContentException extends JacksonException {

        private static final long serialVersionUID = 1L;

        TrailingContentException(JsonParser parser) {
            super(parser, "content after the JSON object");
        }
    }
}
