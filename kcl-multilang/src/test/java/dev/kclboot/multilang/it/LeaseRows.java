package dev.kclboot.multilang.it;

import java.util.Map;
import java.util.TreeMap;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The lease table as DynamoDB has it, read directly (not through the engine): lease key to its item.
 */
final class LeaseRows {

    private LeaseRows() {
    }

    static Map<String, Map<String, AttributeValue>> read(LocalKinesis local, String table) {
        Map<String, Map<String, AttributeValue>> rows = new TreeMap<>();
        local.dynamoDbClient().scanPaginator(request -> request.tableName(table).consistentRead(true)).items()
                .forEach(item -> rows.put(item.get("leaseKey").s(), item));
        return rows;
    }

    static Map<String, String> owners(LocalKinesis local, String table) {
        Map<String, String> owners = new TreeMap<>();
        read(local, table).forEach((key, item) -> owners.put(key,
                item.containsKey("leaseOwner") ? item.get("leaseOwner").s() : "<none>"));
        return owners;
    }
}
