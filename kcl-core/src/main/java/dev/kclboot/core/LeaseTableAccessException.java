package dev.kclboot.core;

/**
 * DynamoDB refused an action a {@link Worker} needs on its lease table at start (access denied, or another service
 * error); names the table and the action.
 */
public class LeaseTableAccessException extends WorkerStartException {

    private final String tableName;

    private final String action;

    public LeaseTableAccessException(String tableName, String action, String message, Throwable cause) {
        super(message, cause);
        this.tableName = tableName;
        this.action = action;
    }

    public String tableName() {
        return tableName;
    }

    /** The IAM action that was refused, e.g. {@code dynamodb:CreateTable}. */
    public String action() {
        return action;
    }
}
