package io.parallelix.node.gpu.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Varied strings for comparing ids with the reference: scripts, normal forms, emoji, whitespace, specials. */
final class TestTexts {
    private static final String ACCENTS = "café naïve résumé Ångström façade São Paulo Dvořák Øresund";
    private static final String[] WORDS = {
        "the",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "lazy",
        "dog",
        "tokenizer",
        "embedding",
        "vector",
        "signature",
        "proof",
        "inference",
        "naïve",
        "café",
        "東京",
        "北京",
        "Straße",
        "résumé",
        "3.14159",
        "2024",
        "—",
        "…",
        "(",
        ")",
        "!",
        "?",
        ",",
        ".",
        "🙂",
        "👍🏽",
        "🇩🇪",
        "don't",
        "we'll",
        "e-mail",
        "x²",
        "½",
        "λ"
    };

    private TestTexts() {}

    static List<String> varied() {
        return List.of(
                "Hello world",
                "",
                " ",
                ACCENTS,
                Normalizer.normalize(ACCENTS, Normalizer.Form.NFD),
                "e\u0301 vs \u00e9, A\u030a vs \u00c5, n\u0303 vs \u00f1",
                "日本語のテキストです。中文字符和标点！한국어 문장도 있습니다.",
                "👨‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 👩🏽‍💻 coder, 🇫🇷🇯🇵🇧🇷 flags, 👍🏿 tone, ❤️ heart, 1️⃣ keycap",
                "a  b\t\tc\n\n\nd \u00a0 e\r\n f     g\u2003h\u3000i",
                "   leading and trailing   ",
                "\t\n",
                "<|begin_of_text|>hi<|eot_id|> [CLS] x [SEP] <s> </s> <bos><end_of_turn> <|im_start|>user<|im_end|> <unk> <pad>",
                "<|eot_id|><|eot_id|>text<|eot_id|>",
                "a\u0000b\u0001c\u007fd",
                "مرحبا بالعالم — שלום עולם — नमस्ते दुनिया — สวัสดีชาวโลก",
                "3.14159, 1,000,000 — “quotes” ‘single’ … ½ © ™ € £ ¥ ∑ ∫ √ ≠ ≤",
                "def f(x):\n    return x ** 2  # comment\n\tif x != 0: print(f\"{x!r}\")",
                "https://example.com/path?q=1&r=%20 and mail@example.org",
                "ALL CAPS and MiXeD cAsE and snake_case and camelCase",
                "🙂".repeat(40),
                longText(2_600));
    }

    /** About {@code words} words of mixed text: well over 512 tokens for every tokenizer here. */
    static String longText(int words) {
        Random random = new Random(20_260_101L);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            out.add(WORDS[random.nextInt(WORDS.length)]);
            if (random.nextInt(40) == 0) {
                out.add("\n\n");
            }
        }
        return String.join(" ", out);
    }
}
