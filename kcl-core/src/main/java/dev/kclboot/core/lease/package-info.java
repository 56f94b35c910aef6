/**
 * KCL-compatible DynamoDB leases: table access, renewal, taking and stealing.
 */
@NullMarked
package dev.kclboot.core.lease;

import org.jspecify.annotations.NullMarked;
