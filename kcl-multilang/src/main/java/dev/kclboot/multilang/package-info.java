/**
 * The MultiLang host: runs the KCL's MultiLang record processors (amazon_kclpy, aws-kcl for Node...) unchanged as child processes on the kcl-core engine, configured by the KCL daemon's properties file. Entry point {@link dev.kclboot.multilang.MultiLangHost}.
 */
@NullMarked
package dev.kclboot.multilang;

import org.jspecify.annotations.NullMarked;
