@NullMarked
package io.parallelix.node.crypto;

import org.jspecify.annotations.NullMarked;
