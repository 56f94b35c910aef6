package dev.kclboot.autoconfigure.diagnostics;

import dev.kclboot.autoconfigure.keys.UnknownKclPropertiesCheck;
import dev.kclboot.autoconfigure.keys.UnknownKclPropertiesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains {@code kcl.*} keys that no property binds, with the closest known key for each.
 */
class UnknownKclPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<UnknownKclPropertiesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownKclPropertiesException cause) {
        return new FailureAnalysis("Unknown kcl properties (Spring Boot would ignore them):\n\n"
                + UnknownKclPropertiesException.describe(cause.getKeys()).indent(4),
                "Correct or remove these keys (every kcl property is listed in docs/configuration.md). To log "
                        + "unknown kcl.* keys as a warning instead of failing, set "
                        + UnknownKclPropertiesCheck.FAIL_PROPERTY + "=false.",
                cause);
    }
}
