package dev.kclboot.core;

import java.time.Duration;
import java.util.List;

import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.core.stream.StreamRef;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * What {@link Worker#start()} checks before it returns, so that a wrong setting fails the start with a message that
 * says what to fix: every stream exists (naming stream and region), and the lease table exists or can be created
 * (naming the table and the DynamoDB action that was refused).
 */
final class StartupChecks {

    private final WorkerConfig config;

    private final List<StreamRef> streams;

    private final LeaseTable table;

    StartupChecks(WorkerConfig config, List<StreamRef> streams, LeaseTable table) {
        this.config = config;
        this.streams = streams;
        this.table = table;
    }

    void run() {
        Region region = config.kinesis().serviceClientConfiguration().region();
        for (StreamRef stream : streams) {
            try {
                config.kinesis().describeStreamSummary(stream.applyTo(DescribeStreamSummaryRequest.builder()).build());
            }
            catch (ResourceNotFoundException ex) {
                throw new StreamNotFoundException(stream.nameOrArn(), String.valueOf(region), ex);
            }
            catch (AwsServiceException ex) {
                throw new WorkerStartException("Could not describe Kinesis stream '" + stream.nameOrArn() + "' in region "
                        + region + ": kinesis:DescribeStreamSummary was refused (" + ex.awsErrorDetails().errorCode()
                        + ": " + ex.awsErrorDetails().errorMessage() + ")", ex);
            }
            catch (SdkException ex) {
                throw new WorkerStartException("Could not reach Kinesis in region " + region + " to describe stream '"
                        + stream.nameOrArn() + "': " + ex.getMessage(), ex);
            }
        }
        String action = "dynamodb:DescribeTable";
        try {
            if (!table.isActive()) {
                action = "dynamodb:CreateTable";
                table.createIfNotExists(config.billingMode(), Duration.ofMinutes(5));
            }
        }
        catch (AwsServiceException ex) {
            String code = ex.awsErrorDetails() == null ? "" : ex.awsErrorDetails().errorCode();
            throw new LeaseTableAccessException(table.tableName(), action, "Cannot use the lease table '"
                    + table.tableName() + "': " + action + " was refused (" + code + ": " + ex.getMessage() + ")", ex);
        }
        catch (SdkException ex) {
            throw new WorkerStartException("Could not reach DynamoDB to check the lease table '" + table.tableName()
                    + "': " + ex.getMessage(), ex);
        }
    }
}
