package dev.kclboot.multilang.config;

import java.util.Locale;

/**
 * The daemon's {@code RetrievalMode}. {@code FANOUT} reads with enhanced fan-out (SubscribeToShard through a stream
 * consumer named by {@code consumerName}, default the application name, or given by {@code consumerArn});
 * {@code POLLING} polls with GetRecords; {@code DEFAULT}, which is fan-out in the KCL unless a polling key is set,
 * polls here (noted at start; see {@link MultiLangSettings#fanOut()} for why).
 */
public enum RetrievalMode {
    FANOUT, POLLING, DEFAULT;

    /**
     * @throws InvalidSettingsException for another value
     */
    static RetrievalMode parse(String key, String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidSettingsException(key + " must be FANOUT, POLLING or DEFAULT, was '" + value + "'");
        }
    }
}
