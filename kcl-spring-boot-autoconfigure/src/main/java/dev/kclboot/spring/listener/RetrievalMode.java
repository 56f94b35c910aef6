package dev.kclboot.spring.listener;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a listener's worker reads the stream: polling GetRecords, or enhanced fan-out (SubscribeToShard through a
 * registered stream consumer, with its own throughput per shard and ~70 ms propagation on AWS).
 */
public enum RetrievalMode {

    /** GetRecords, paced by {@code kcl.polling.*} (the default). */
    POLLING,

    /** Enhanced fan-out, configured by {@code kcl.retrieval.*}. */
    FAN_OUT;

    /**
     * Reads {@code polling} or {@code fan-out} (case, dashes and underscores do not matter).
     * @throws IllegalArgumentException for anything else
     */
    public static RetrievalMode parse(String value) {
        String normalized = value.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (RetrievalMode mode : values()) {
            if (mode.name().replace("_", "").equals(normalized)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a retrieval mode: use polling or fan-out "
                + Arrays.toString(values()));
    }

    /** As written in properties: {@code polling}, {@code fan-out}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
