package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.Context.Library;
import com.hubspot.jinjava.lib.Importable;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.javax.el.ExpressionFactory;

/**
 * Jinjava set up as transformers sets up Jinja2 ({@code trim_blocks=True, lstrip_blocks=True},
 * applied to the source by {@link TemplateSource}), with Python semantics
 * everywhere a value is touched: {@link PyParser}'s operators, {@link PyResolver}, {@link
 * PyConverter}, {@link PyOutput}; only our filters, tests, functions and the block tags Jinja2
 * has; everything else Jinjava offers is disabled, so a template using it fails instead.
 */
final class PyJinjava extends Jinjava {
    /** Jinja2's statements that transformers enables (loopcontrols: break, continue). */
    private static final Set<String> TAGS =
            Set.of("if", "elif", "else", "for", "set", "macro", "call", "raw", "break", "continue", "generation");

    static final long MAX_OUTPUT_CHARS = 8L << 20;

    private final ExpressionFactory factory =
            new ExpressionFactoryImpl(new TreeStore(new PySyntaxBuilder(), new Cache(512)), new PyConverter());

    private PyJinjava(JinjavaConfig config) {
        super(config);
        Context global = getGlobalContext();
        global.registerTag(new PyTags.If());
        global.registerTag(new PyTags.For());
        global.registerTag(new PyTags.Generation());
        PyFilters.all().forEach(global::registerFilter);
        PyTests.all().forEach(global::registerExpTest);
        PyFunctions.definitions().forEach(global::registerFunction);
    }

    static PyJinjava create() {
        Context defaults = new Context();
        Set<String> filters = names(PyFilters.all());
        Set<String> tests = names(PyTests.all());
        Set<String> functions = PyFunctions.definitions().stream()
                .map(ELFunctionDefinition::getName)
                .collect(Collectors.toSet());
        Map<Library, Set<String>> disabled = Map.of(
                Library.FILTER, others(defaults.getAllFilters(), filters),
                Library.EXP_TEST, others(defaults.getAllExpTests(), tests),
                Library.FUNCTION,
                        defaults.getAllFunctions().stream()
                                .map(ELFunctionDefinition::getName)
                                .filter(n -> !functions.contains(n))
                                .collect(Collectors.toSet()),
                Library.TAG,
                        others(defaults.getAllTags(), TAGS).stream()
                                .filter(n -> !n.startsWith("end") || !TAGS.contains(n.substring(3)))
                                .collect(Collectors.toSet()));
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(false) // TemplateSource applies trim_blocks and lstrip_blocks
                .withLstripBlocks(false)
                .withKeepTrailingNewline(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withHandleBackslashInQuotesOnly(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withDefaultKeepTrailingNewlineBehavior(true)
                        .build())
                .withElResolver(new PyResolver())
                .withExecutionMode(new PyOutput.Mode())
                .withNestedInterpretationEnabled(false)
                .withFailOnUnknownTokens(false)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(50)
                .withMaxRenderDepth(20)
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withMaxStringLength(MAX_OUTPUT_CHARS)
                .withMaxListSize(100_000)
                .withMaxMapSize(100_000)
                .withRangeLimit((int) PyFunctions.MAX_RANGE)
                .withDisabled(disabled)
                .build();
        return new PyJinjava(config);
    }

    @Override
    public ExpressionFactory getExpressionFactory() {
        return factory;
    }

    private static Set<String> names(Collection<? extends Importable> items) {
        return items.stream().map(Importable::getName).collect(Collectors.toSet());
    }

    private static Set<String> others(Collection<? extends Importable> all, Set<String> keep) {
        Set<String> out = new HashSet<>(names(all));
        out.removeAll(keep);
        return out;
    }
}
