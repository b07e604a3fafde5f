@NullMarked
package io.parallelix.node.daemon.protocol;

import org.jspecify.annotations.NullMarked;
