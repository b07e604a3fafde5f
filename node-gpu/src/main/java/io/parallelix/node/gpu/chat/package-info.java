/**
 * Chat templates: messages through the model's Jinja chat template (tokenizer_config.json) to the
 * prompt text, exactly as transformers renders it (Jinja2, trim_blocks and lstrip_blocks), or a
 * {@link io.parallelix.node.gpu.chat.ChatTemplateException} naming why not. Entry:
 * {@link io.parallelix.node.gpu.chat.ChatTemplate}. Jinjava parses and walks the template; every
 * value, operator, filter, test, method and print goes through the package-private {@code Py*}
 * classes, which implement the Python semantics a chat template relies on and refuse the rest.
 */
@NullMarked
package io.parallelix.node.gpu.chat;

import org.jspecify.annotations.NullMarked;
