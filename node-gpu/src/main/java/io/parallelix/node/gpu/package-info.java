@NullMarked
package io.parallelix.node.gpu;

import org.jspecify.annotations.NullMarked;
