@NullMarked
package io.parallelix.node.daemon;

import org.jspecify.annotations.NullMarked;
