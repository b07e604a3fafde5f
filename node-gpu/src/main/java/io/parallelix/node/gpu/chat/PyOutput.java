package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * What {@code {{ x }}} prints: Python's {@code str(x)} ("None", "True", {@code ['a', 1]}), never
 * Java's ("null", "true", {@code [a, 1]}); and no auto-escaping, no re-rendering of a value that
 * contains "{{". Installed with the undefined-name rule through the execution mode.
 */
final class PyOutput implements ExpressionStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
        return new RenderedOutputNode(PyValues.str(value));
    }

    /** Each render's context: our printing, and an unknown name is Jinja2's Undefined. */
    static final class Mode implements ExecutionMode {
        @Override
        public void prepareContext(Context context) {
            context.setExpressionStrategy(new PyOutput());
            context.setDynamicVariableResolver(PyUndefined::new);
        }
    }
}
