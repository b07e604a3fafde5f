/**
 * The node's configuration: YAML file, PXNODE_* environment and --set overrides merged over the
 * bundled defaults into one validated {@link io.parallelix.node.daemon.config.NodeConfig} record.
 * Entry: {@link io.parallelix.node.daemon.config.ConfigLoader}.
 */
@NullMarked
package io.parallelix.node.daemon.config;

import org.jspecify.annotations.NullMarked;
