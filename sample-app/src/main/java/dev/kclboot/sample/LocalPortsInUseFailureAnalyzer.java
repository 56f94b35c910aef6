package dev.kclboot.sample;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a local-mode port that is taken, naming the property that moves it.
 */
class LocalPortsInUseFailureAnalyzer extends AbstractFailureAnalyzer<LocalPortsInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LocalPortsInUseException cause) {
        StringBuilder description = new StringBuilder("Local mode needs two free loopback ports for its emulators, ");
        StringBuilder action = new StringBuilder("Stop the program that uses ");
        if (cause.getKinesisPort() != null) {
            description.append("but port ").append(cause.getKinesisPort())
                    .append(" (kinesis-local, sample.local.kinesis-port) is in use");
            action.append("port ").append(cause.getKinesisPort());
        }
        if (cause.getDynamoDbPort() != null) {
            description.append((cause.getKinesisPort() != null) ? " and port " : "but port ")
                    .append(cause.getDynamoDbPort()).append(" (dynalite, sample.local.dynamodb-port) is in use");
            action.append((cause.getKinesisPort() != null) ? " and port " : "port ").append(cause.getDynamoDbPort());
        }
        description.append(" by a program that is not a running copy of the sample's emulators.");
        action.append(" (e.g. `ss -ltnp` shows which), or run the sample on other ports, e.g. ")
                .append("-Dspring-boot.run.arguments=\"--sample.local.kinesis-port=14567 ")
                .append("--sample.local.dynamodb-port=14568\" (0 picks free ports).");
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }
}
