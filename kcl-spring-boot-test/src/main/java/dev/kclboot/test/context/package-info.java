/**
 * Spring TestContext support for {@link dev.kclboot.test.EmbeddedKinesis}.
 */
@NullMarked
package dev.kclboot.test.context;

import org.jspecify.annotations.NullMarked;
