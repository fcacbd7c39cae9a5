package dev.outbox.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the {@code ```java} blocks of the Markdown pages, with their hidden context.
 *
 * <p>The conventions (CONTRIBUTING.md, "Snippets in the docs"):
 *
 * <ul>
 *   <li>{@code <!-- snippet-imports} on a line of its own, import declarations, {@code -->}: the
 *       imports of every Java block of the page (there may be several such comments; all count).
 *   <li>{@code <!-- snippet} (or {@code <!-- snippet run}) on a line of its own, Java, {@code -->},
 *       right before a block (blank lines between are fine): the block's context, with a line
 *       {@code SNIPPET} where the block goes. {@code run} runs it: {@code new Snippet().run()}.
 *   <li>A block without a context is compiled as it is when it declares types, and as the body of
 *       {@code void run() throws Exception} in a class {@code Snippet} otherwise.
 * </ul>
 */
final class Snippets {

  private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*([\\w+-]*).*$");

  private Snippets() {}

  /** README.md, CONTRIBUTING.md and docs/*.md of the repository at {@code root}. */
  static List<Path> pages(Path root) {
    List<Path> pages = new ArrayList<>();
    for (String name : List.of("README.md", "CONTRIBUTING.md")) {
      if (Files.exists(root.resolve(name))) {
        pages.add(Path.of(name));
      }
    }
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(path -> path.getFileName().toString().endsWith(".md"))
          .sorted()
          .forEach(path -> pages.add(root.relativize(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  /** The Java blocks of {@code page}, in order. */
  static List<Snippet> read(Path root, Path page) {
    List<String> lines;
    try {
      lines = Files.readAllLines(root.resolve(page));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> imports = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    String pendingTemplate = null;
    boolean pendingRun = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.strip();
      if (trimmed.equals("<!-- snippet-imports")) {
        int end = closing(lines, i, page);
        for (String declaration : lines.subList(i + 1, end)) {
          if (!declaration.isBlank()) {
            imports.add(declaration.strip());
          }
        }
        i = end;
        continue;
      }
      if (trimmed.equals("<!-- snippet") || trimmed.equals("<!-- snippet run")) {
        int end = closing(lines, i, page);
        pendingTemplate = String.join("\n", lines.subList(i + 1, end)) + "\n";
        pendingRun = trimmed.endsWith("run");
        if (!pendingTemplate.contains(Snippet.MARKER)) {
          throw new IllegalStateException(
              page + ":" + (i + 1) + ": a snippet context needs a line " + Snippet.MARKER);
        }
        i = end;
        continue;
      }
      Matcher fence = FENCE.matcher(line);
      if (fence.matches()) {
        String indent = fence.group(1);
        String ticks = fence.group(2);
        int end = i + 1;
        while (end < lines.size() && !isClosing(lines.get(end), ticks)) {
          end++;
        }
        if (end == lines.size()) {
          throw new IllegalStateException(page + ":" + (i + 1) + ": a code block never closes");
        }
        if (fence.group(3).equals("java")) {
          StringBuilder code = new StringBuilder();
          for (String body : lines.subList(i + 1, end)) {
            code.append(body.startsWith(indent) ? body.substring(indent.length()) : body.strip())
                .append('\n');
          }
          blocks.add(
              new Block(
                  i + 1,
                  code.toString(),
                  pendingTemplate == null ? "" : pendingTemplate,
                  pendingRun));
        } else if (pendingTemplate != null) {
          throw new IllegalStateException(
              page + ":" + (i + 1) + ": a snippet context stands before a block that is not java");
        }
        pendingTemplate = null;
        pendingRun = false;
        i = end;
        continue;
      }
      if (pendingTemplate != null && !trimmed.isEmpty()) {
        throw new IllegalStateException(
            page + ":" + (i + 1) + ": a snippet context must stand right before its java block");
      }
    }
    List<Snippet> snippets = new ArrayList<>();
    for (Block block : blocks) {
      snippets.add(
          new Snippet(
              page, block.line, block.code, List.copyOf(imports), block.template, block.run));
    }
    return snippets;
  }

  private static int closing(List<String> lines, int start, Path page) {
    for (int end = start + 1; end < lines.size(); end++) {
      if (lines.get(end).strip().equals("-->")) {
        return end;
      }
    }
    throw new IllegalStateException(page + ":" + (start + 1) + ": the comment has no line -->");
  }

  private static boolean isClosing(String line, String ticks) {
    String trimmed = line.strip();
    return trimmed.startsWith(ticks) && trimmed.chars().allMatch(c -> c == ticks.charAt(0));
  }

  private record Block(int line, String code, String template, boolean run) {}
}
