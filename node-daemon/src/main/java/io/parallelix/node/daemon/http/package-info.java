@NullMarked
package io.parallelix.node.daemon.http;

import org.jspecify.annotations.NullMarked;
