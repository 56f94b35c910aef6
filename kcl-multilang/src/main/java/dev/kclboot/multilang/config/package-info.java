/**
 * Reading the KCL MultiLang properties file: the daemon's key names (case-insensitive), required keys named when missing, unknown keys listed in a warning, credentials providers, defaults.
 */
@NullMarked
package dev.kclboot.multilang.config;

import org.jspecify.annotations.NullMarked;
