package dev.outbox.docs;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@code ```java} block of a page, with what the page says around it in hidden HTML comments:
 * the page's {@code <!-- snippet-imports … -->} and the block's own {@code <!-- snippet … -->}.
 *
 * @param page the Markdown file, relative to the repository's root
 * @param line the line of the opening fence, from 1
 * @param code the block's text as the reader sees it, its fence's indentation removed
 * @param imports the page's imports, one declaration a line
 * @param template the block's context: Java with a line {@code SNIPPET} where the block goes, or
 *     empty for the default (a compilation unit as it is, statements in a method)
 * @param run whether the block's context asks for it to be run ({@code <!-- snippet run}): the
 *     class {@code Snippet} is made with its no-argument constructor and its {@code run()} called
 */
record Snippet(
    Path page, int line, String code, List<String> imports, String template, boolean run) {

  /** The marker line of a template, replaced by the block's code. */
  static final String MARKER = "SNIPPET";

  /** Where the block is, as an editor takes it: {@code docs/schema.md:42}. */
  String location() {
    return page.toString().replace('\\', '/') + ":" + line;
  }

  /** The compilation unit: the page's imports, then the block in its context. */
  String source() {
    StringBuilder source = new StringBuilder();
    for (String declaration : imports) {
      source.append(declaration).append('\n');
    }
    source.append('\n');
    if (!template.isEmpty()) {
      source.append(template.replace(MARKER, code));
    } else if (isCompilationUnit(code)) {
      source.append(code);
    } else {
      source.append("class Snippet {\n  void run() throws Exception {\n");
      source.append(code);
      source.append("\n  }\n}\n");
    }
    return source.toString();
  }

  /** Whether the block declares types (or imports) rather than being statements. */
  static boolean isCompilationUnit(String code) {
    for (String line : code.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("//") || trimmed.startsWith("/*")) {
        continue;
      }
      return trimmed.matches(
          "^(import|package|@\\w+|public|final|abstract|sealed|class|record|interface|enum)\\b.*");
    }
    return false;
  }
}
