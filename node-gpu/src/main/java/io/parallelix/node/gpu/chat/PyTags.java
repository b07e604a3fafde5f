package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.lib.tag.IfTag;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.LengthLimitingStringBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.tuple.Pair;

/** The block tags whose Jinjava versions differ from Jinja2 in what they decide or iterate. */
final class PyTags {
    private PyTags() {}

    /** {@code if}/{@code elif} with Python truthiness (Jinjava's calls the string "false" false). */
    static final class If extends IfTag {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isPositiveIfElseNode(TagNode tagNode, JinjavaInterpreter interpreter) {
            return PyValues.truthy(interpreter.resolveELExpression(
                    tagNode.getHelpers(), tagNode.getLineNumber(), tagNode.getStartPosition()));
        }
    }

    /**
     * {@code for} over what Python iterates: a string's characters, a dict's keys, nothing for
     * undefined; with Jinja2's filter clause {@code for x in xs if cond} (Jinjava would read
     * {@code xs if cond} as a ternary), so {@code loop} counts the kept items only.
     */
    static final class For extends ForTag {
        private static final long serialVersionUID = 1L;

        @Override
        public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
            Pair<List<String>, String> varsAndExpression = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
            List<String> vars = varsAndExpression.getLeft();
            String expression = varsAndExpression.getRight();
            int cut = filterClause(expression);
            Object collection = interpreter.resolveELExpression(
                    cut < 0 ? expression : expression.substring(0, cut), tagNode.getLineNumber());
            List<Object> items = items(collection);
            if (cut >= 0) {
                String condition = expression.substring(cut + " if ".length());
                List<Object> kept = new ArrayList<>();
                for (Object item : items) {
                    try (var scope = interpreter.enterScope()) {
                        bind(interpreter, vars, item);
                        if (PyValues.truthy(interpreter.resolveELExpression(condition, tagNode.getLineNumber()))) {
                            kept.add(item);
                        }
                    }
                }
                items = kept;
            }
            return renderForCollection(tagNode, interpreter, vars, items);
        }

        private static void bind(JinjavaInterpreter interpreter, List<String> vars, Object item) {
            if (vars.size() == 1) {
                interpreter.getContext().put(vars.get(0), item);
                return;
            }
            if (!(item instanceof List<?> values) || values.size() != vars.size()) {
                throw new PyError("ValueError: cannot unpack " + PyValues.typeName(item) + " into " + vars.size());
            }
            for (int i = 0; i < vars.size(); i++) interpreter.getContext().put(vars.get(i), values.get(i));
        }

        /** Where {@code " if "} starts outside brackets and quotes (Jinja2 allows no ternary there), or -1. */
        static int filterClause(String expression) {
            int depth = 0;
            char quote = 0;
            for (int i = 0; i < expression.length(); i++) {
                char c = expression.charAt(i);
                if (quote != 0) {
                    if (c == '\\') i++;
                    else if (c == quote) quote = 0;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                } else if (depth == 0 && expression.startsWith(" if ", i)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public String renderForCollection(
                TagNode tagNode, JinjavaInterpreter interpreter, List<String> loopVars, Object collection) {
            return super.renderForCollection(tagNode, interpreter, loopVars, items(collection));
        }

        static List<Object> items(Object collection) {
            if (PyValues.isUndefined(collection)) return List.of();
            if (PyValues.isString(collection)) {
                List<Object> chars = new ArrayList<>();
                collection.toString().codePoints().forEach(c -> chars.add(Character.toString(c)));
                return chars;
            }
            if (collection instanceof Map<?, ?> map) return new ArrayList<>(map.keySet());
            if (collection instanceof Iterable<?> it && collection != PyNone.NONE) {
                List<Object> out = new ArrayList<>();
                it.forEach(out::add);
                return out;
            }
            throw new PyError("TypeError: '" + PyValues.typeName(collection) + "' object is not iterable");
        }
    }

    /**
     * transformers' {@code {% generation %}...{% endgeneration %}}: marks the assistant's tokens
     * for training masks and renders its body unchanged.
     */
    static final class Generation implements Tag {
        private static final long serialVersionUID = 1L;

        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            LengthLimitingStringBuilder out =
                    new LengthLimitingStringBuilder(interpreter.getConfig().getMaxOutputSize());
            for (Node child : tagNode.getChildren()) out.append(child.render(interpreter));
            return out.toString();
        }
    }
}
