package dev.kclboot.sample;

import java.time.Instant;

/**
 * The JSON event the producer writes to {@code words}: a line of text and when it was written.
 * @param text a few words
 * @param sentAt when the producer wrote it
 */
public record WordEvent(String text, Instant sentAt) {
}
