@NullMarked
package io.parallelix.node.daemon.error;

import org.jspecify.annotations.NullMarked;
