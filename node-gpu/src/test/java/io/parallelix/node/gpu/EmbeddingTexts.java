package io.parallelix.node.gpu;

import java.util.List;

/** Varied texts for the embedding tests: scripts, normalisation forms, emoji, whitespace, lengths. */
final class EmbeddingTexts {
    private EmbeddingTexts() {}

    static final List<String> VARIED = List.of(
            "hello world",
            "The quick brown fox jumps over the lazy dog.",
            "A man is eating food.",
            "Café crème brûlée à la carte",
            "Cafe\u0301 cre\u0300me bru\u0302le\u0301e a\u0300 la carte",
            "東京は日本の首都です。",
            "北京欢迎你，我们一起学习机器学习。",
            "안녕하세요, 반갑습니다",
            "Привет, как дела? Всё хорошо.",
            "مرحبا بالعالم",
            "👩‍👩‍👧‍👦 family, 🇫🇷🇯🇵 flags and 👍🏽 thumbs",
            "  leading and trailing spaces   ",
            "tabs\tand\nnew\r\nlines\n\n\nmany",
            "[CLS] special tokens [SEP] written in text [MASK] [PAD]",
            "UPPER CASE AND lower case AnD MiXeD",
            "Numbers 3.14159, 2,718 and 1e-9; dates 2026-12-01.",
            "def f(x): return x ** 2  # code { } [ ] < > & | ~",
            "a",
            "?!.,;:-_()",
            "Ünïcödé ñ ß æ ø å ł œ",
            "The cat sat on the mat. ".repeat(12).trim(),
            "Embeddings map text to vectors so that similar meanings lie close together. "
                    .repeat(8)
                    .trim(),
            "Ceci n'est pas une pipe, mais c'est une phrase française.",
            "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.");
}
