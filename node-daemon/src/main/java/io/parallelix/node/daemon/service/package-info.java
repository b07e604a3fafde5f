@NullMarked
package io.parallelix.node.daemon.service;

import org.jspecify.annotations.NullMarked;
