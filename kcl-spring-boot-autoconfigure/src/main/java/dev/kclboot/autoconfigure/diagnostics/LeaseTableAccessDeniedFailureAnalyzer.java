package dev.kclboot.autoconfigure.diagnostics;

import dev.kclboot.core.LeaseTableAccessException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kclboot.spring.listener.container.KinesisWorkerStartException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Explains a worker that could not start because it may not use its DynamoDB lease table, naming the table and the
 * DynamoDB action that was denied.
 */
class LeaseTableAccessDeniedFailureAnalyzer extends AbstractFailureAnalyzer<KinesisWorkerStartException> {

    private static final Pattern IAM_ACTION = Pattern.compile("dynamodb:([A-Za-z]+)");

    private static final Pattern API_ACTION = Pattern.compile("\\b(CreateTable|DescribeTable|Scan|Query|GetItem|"
            + "PutItem|UpdateItem|DeleteItem|BatchWriteItem|UpdateContinuousBackups|TagResource|ListTables)\\b");

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KinesisWorkerStartException cause) {
        // UnrecognizedClientException (an unknown access key) is a credentials problem: AwsCredentialsFailureAnalyzer.
        AwsServiceException denied = AwsErrors.findErrorCode(cause, "AccessDeniedException");
        if (denied == null || !(denied instanceof DynamoDbException)) {
            return null;
        }
        LeaseTableAccessException access = AwsErrors.find(cause, LeaseTableAccessException.class);
        String action = (access != null) ? access.action() : action(AwsErrors.messages(cause));
        return new FailureAnalysis("The Kinesis worker of application '" + cause.getApplicationName()
                + "' may not use its DynamoDB lease table '" + cause.getLeaseTableName() + "': the action "
                + action + " was denied (" + denied.awsErrorDetails().errorMessage() + ").",
                "Allow " + action + " (and dynamodb:CreateTable, DescribeTable, Scan, GetItem, PutItem, UpdateItem, "
                        + "DeleteItem) on table '" + cause.getLeaseTableName() + "' to the application's AWS "
                        + "credentials, or point kcl.lease.table-name at a table it may use.",
                cause);
    }

    private static String action(String messages) {
        Matcher iam = IAM_ACTION.matcher(messages);
        if (iam.find()) {
            return "dynamodb:" + iam.group(1);
        }
        Matcher api = API_ACTION.matcher(messages);
        return api.find() ? "dynamodb:" + api.group(1) : "(not named by DynamoDB)";
    }
}
