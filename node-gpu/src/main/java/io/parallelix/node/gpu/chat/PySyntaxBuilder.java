package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import jinjava.de.odysseus.el.tree.impl.Parser;

/** Builds expression trees with {@link PyParser}; method calls and varargs on, as Jinjava's. */
final class PySyntaxBuilder extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    PySyntaxBuilder() {
        super(Feature.METHOD_INVOCATIONS, Feature.VARARGS);
    }

    @Override
    protected Parser createParser(String expression) {
        return new PyParser(this, expression);
    }
}
