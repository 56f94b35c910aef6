package dev.kclboot.it;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The application's credentials may not create the lease table: the real DynamoDB call (to the emulator) is refused
 * the way IAM refuses it, the start fails, and the report names the table and the action.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeaseTableAccessDeniedIT {

    @Test
    void theReportNamesTheTableAndTheDeniedAction(CapturedOutput output) {
        LocalKinesis local = LocalKinesis.shared();
        String application = LocalKinesis.uniqueName("app");
        Map<String, Object> properties = new LinkedHashMap<>(local.springProperties());
        properties.put("kcl.stream", local.createStream(1));
        properties.put("kcl.application-name", application);
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties(properties).run());
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("lease table '" + application + "'")
                .contains("the action dynamodb:CreateTable was denied");
        assertThat(local.dynamoDbClient().listTables().tableNames()).doesNotContain(application);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        /** A client whose CreateTable calls are refused as IAM would refuse them. */
        @Bean
        DynamoDbClient dynamoDbClient() {
            LocalKinesis local = LocalKinesis.shared();
            ExecutionInterceptor denyCreateTable = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof CreateTableRequest) {
                        throw DynamoDbException.builder().statusCode(400)
                                .message("User: arn:aws:iam::000000000000:user/app is not authorized to perform: "
                                        + "dynamodb:CreateTable (injected)")
                                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                                        .errorMessage("not authorized (injected)").build())
                                .build();
                    }
                }
            };
            return local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                    .overrideConfiguration(config -> config.addExecutionInterceptor(denyCreateTable)).build();
        }

        @Bean
        Object listener() {
            return new Object() {

                @KinesisListener
                void onRecord(String payload) {
                }
            };
        }
    }
}
