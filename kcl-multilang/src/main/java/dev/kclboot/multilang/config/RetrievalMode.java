package dev.kclboot.multilang.config;

import java.util.Locale;

/**
 * The daemon's {@code RetrievalMode}. This host always polls; {@code FANOUT} (and {@code DEFAULT}, which is fan-out in
 * the KCL unless a polling key is set) are accepted with a warning, so a file written for the daemon still starts.
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
