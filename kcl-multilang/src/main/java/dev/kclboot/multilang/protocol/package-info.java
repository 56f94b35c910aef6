/**
 * The KCL MultiLang wire protocol: one JSON object per line, what the host writes to a child's stdin and how it reads the child's stdout lines (leniently: unknown fields and stray output are tolerated).
 */
@NullMarked
package dev.kclboot.multilang.protocol;

import org.jspecify.annotations.NullMarked;
