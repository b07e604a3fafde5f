@NullMarked
package io.parallelix.node.daemon.config;

import org.jspecify.annotations.NullMarked;
