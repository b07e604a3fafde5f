package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.el.ext.AbsOperator;
import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.AstNamedParameter;
import com.hubspot.jinjava.el.ext.AstTuple;
import com.hubspot.jinjava.el.ext.CollectionMembershipOperator;
import com.hubspot.jinjava.el.ext.CollectionNonMembershipOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.OrOperator;
import com.hubspot.jinjava.el.ext.PowerOfOperator;
import com.hubspot.jinjava.el.ext.StringConcatOperator;
import com.hubspot.jinjava.el.ext.TruncDivOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import jinjava.javax.el.ELContext;
import org.jspecify.annotations.Nullable;

/**
 * Jinjava's expression parser with Python's operators ({@link PyOperators}) in place of EL's, and
 * full slices ({@code messages[::-1]}; Jinjava parses only {@code [a:b]}). Needs Jinjava's
 * natural operator precedence (filters bind tighter than arithmetic, as in Jinja2).
 */
final class PyParser extends ExtendedParser {
    private static final Map<AstBinary.Operator, AstBinary.Operator> BINARY = Map.ofEntries(
            Map.entry(AdditionOperator.OP, PyOperators.ADD),
            Map.entry(AstBinary.ADD, PyOperators.ADD),
            Map.entry(AstBinary.SUB, PyOperators.SUB),
            Map.entry(AstBinary.MUL, PyOperators.MUL),
            Map.entry(AstBinary.DIV, PyOperators.DIV),
            Map.entry(AstBinary.MOD, PyOperators.MOD),
            Map.entry(AstBinary.EQ, PyOperators.EQ),
            Map.entry(AstBinary.NE, PyOperators.NE),
            Map.entry(AstBinary.LT, PyOperators.LT),
            Map.entry(AstBinary.LE, PyOperators.LE),
            Map.entry(AstBinary.GT, PyOperators.GT),
            Map.entry(AstBinary.GE, PyOperators.GE),
            Map.entry(AstBinary.AND, PyOperators.AND),
            Map.entry(AstBinary.OR, PyOperators.OR),
            Map.entry(OrOperator.OP, PyOperators.OR));

    PyParser(Builder builder, String input) {
        super(builder, input);
        replace(CollectionMembershipOperator.TOKEN, PyOperators.IN);
        replace(CollectionNonMembershipOperator.TOKEN, PyOperators.NOT_IN);
        replace(StringConcatOperator.TOKEN, PyOperators.CONCAT);
        replace(TruncDivOperator.TOKEN, PyOperators.FLOOR_DIV);
        refuse(PowerOfOperator.TOKEN, "'**'");
        refuse(AbsOperator.TOKEN, "unary '+'");
    }

    private void replace(Scanner.ExtensionToken token, AstBinary.Operator op) {
        putExtensionHandler(
                token, new ExtensionHandler(getExtensionHandler(token).getExtensionPoint()) {
                    @Override
                    public AstNode createAstNode(AstNode... children) {
                        return new AstBinary(children[0], children[1], op);
                    }
                });
    }

    private void refuse(Scanner.ExtensionToken token, String what) {
        putExtensionHandler(
                token, new ExtensionHandler(getExtensionHandler(token).getExtensionPoint()) {
                    @Override
                    public AstNode createAstNode(AstNode... children) {
                        throw PyError.unsupported("the operator " + what);
                    }
                });
    }

    @Override
    protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
        AstBinary.Operator py = BINARY.get(operator);
        if (py == null) throw PyError.unsupported("the operator " + operator);
        return new AstBinary(left, right, py);
    }

    @Override
    protected AstUnary createAstUnary(AstNode child, AstUnary.Operator operator) {
        if (operator == AstUnary.NOT) return new AstUnary(child, PyOperators.NOT);
        if (operator == AstUnary.NEG) return new AstUnary(child, PyOperators.NEG);
        throw PyError.unsupported("the operator " + operator);
    }

    /**
     * Jinja2's {@code not} binds looser than comparisons and tests: {@code not x is defined} is
     * {@code not (x is defined)}, {@code not a == b} is {@code not (a == b)} (EL's binds tightest).
     */
    @Override
    protected @Nullable AstNode and(boolean required) throws Scanner.ScanException, Parser.ParseException {
        AstNode v = not(required);
        if (v == null) return null;
        while (getToken().getSymbol() == Symbol.AND) {
            consumeToken();
            v = createAstBinary(v, Objects.requireNonNull(not(true)), AstBinary.AND);
        }
        return v;
    }

    private @Nullable AstNode not(boolean required) throws Scanner.ScanException, Parser.ParseException {
        if (getToken().getSymbol() == Symbol.NOT) {
            consumeToken();
            return createAstUnary(Objects.requireNonNull(not(true)), AstUnary.NOT);
        }
        return eq(required);
    }

    /** {@code +} and {@code -}; Jinjava scans the "+" of {@code x+1} as its unary abs operator, here it adds. */
    @Override
    protected @Nullable AstNode add(boolean required) throws Scanner.ScanException, Parser.ParseException {
        AstNode v = mul(required);
        if (v == null) return null;
        while (true) {
            Scanner.Token t = getToken();
            if (t.getSymbol() == Symbol.PLUS || (t.getSymbol() == Symbol.EXTENSION && "+".equals(t.getImage()))) {
                consumeToken();
                v = createAstBinary(v, Objects.requireNonNull(mul(true)), AstBinary.ADD);
            } else if (t.getSymbol() == Symbol.MINUS) {
                consumeToken();
                v = createAstBinary(v, Objects.requireNonNull(mul(true)), AstBinary.SUB);
            } else if (t.getSymbol() == Symbol.EXTENSION
                    && getExtensionHandler(t).getExtensionPoint() == ExtensionPoint.ADD) {
                v = getExtensionHandler(consumeToken()).createAstNode(v, Objects.requireNonNull(mul(true)));
            } else {
                return v;
            }
        }
    }

    /** A tuple literal is a tuple: it prints {@code (1, 2)}, and {@code startswith} takes it. */
    @Override
    protected AstTuple createAstTuple(AstParameters parameters) {
        return new AstTuple(parameters) {
            @Override
            @SuppressWarnings("unchecked")
            public Object eval(Bindings bindings, ELContext context) {
                return new PyTuple((List<Object>) super.eval(bindings, context));
            }
        };
    }

    /** Arguments; a keyword argument's value is a whole expression ({@code n=xs|length - 1}). */
    @Override
    protected AstParameters params(Symbol left, Symbol right) throws Scanner.ScanException, Parser.ParseException {
        consumeToken(left);
        List<AstNode> list = new ArrayList<>();
        if (getToken().getSymbol() != right) {
            list.add(argument());
            while (getToken().getSymbol() == Symbol.COMMA) {
                consumeToken();
                list.add(argument());
            }
        }
        consumeToken(right);
        return createAstParameters(list);
    }

    private AstNode argument() throws Scanner.ScanException, Parser.ParseException {
        Scanner.Token next = lookahead(0);
        if (getToken().getSymbol() == Symbol.IDENTIFIER
                && next.getSymbol() == Symbol.EXTENSION
                && "=".equals(next.getImage())) {
            String name = consumeToken().getImage();
            consumeToken();
            return new AstNamedParameter(identifier(name), expr(true));
        }
        return expr(true);
    }

    /** As Jinjava's, with {@code [start:stop:step]} for slices. */
    @Override
    protected @Nullable AstNode value() throws Scanner.ScanException, Parser.ParseException {
        boolean lvalue = true;
        AstNode v = nonliteral();
        if (v == null) {
            v = literal();
            if (v == null) return null;
            lvalue = false;
        }
        while (true) {
            if (getToken().getSymbol() == Symbol.DOT) {
                consumeToken();
                String name = consumeToken(Symbol.IDENTIFIER).getImage();
                AstDot dot = createAstDot(v, name, lvalue);
                v = getToken().getSymbol() == Symbol.LPAREN ? createAstMethod(dot, params()) : dot;
            } else if (getToken().getSymbol() == Symbol.LBRACK) {
                consumeToken();
                AstNode start = getToken().getSymbol() == Symbol.COLON ? null : expr(true);
                if (getToken().getSymbol() == Symbol.RBRACK) {
                    consumeToken();
                    if (start == null) fail("an index");
                    var bracket = createAstBracket(v, start, lvalue, true);
                    v = getToken().getSymbol() == Symbol.LPAREN ? createAstMethod(bracket, params()) : bracket;
                } else {
                    consumeToken(Symbol.COLON);
                    AstNode stop = sliceBound();
                    AstNode step = null;
                    if (getToken().getSymbol() == Symbol.COLON) {
                        consumeToken();
                        step = sliceBound();
                    }
                    consumeToken(Symbol.RBRACK);
                    v = new PySlice(v, start, stop, step);
                }
            } else {
                return v;
            }
        }
    }

    private @Nullable AstNode sliceBound() throws Scanner.ScanException, Parser.ParseException {
        Symbol s = getToken().getSymbol();
        return s == Symbol.COLON || s == Symbol.RBRACK ? null : expr(true);
    }
}
