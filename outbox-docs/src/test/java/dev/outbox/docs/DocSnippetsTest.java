package dev.outbox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md, CONTRIBUTING.md and docs/*.md compiles as written,
 * against the modules a user depends on (this module's test class path), with the context its page
 * gives it in hidden comments ({@link Snippets}); the blocks marked {@code run} also run (on H2).
 * One test per block, named by its page and line.
 */
class DocSnippetsTest {

  /** The repository's root, seen from this module's directory (where Maven runs the tests). */
  private static final Path ROOT = Path.of("..");

  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|interface|record|enum)"
              + "\\s+(\\w+)");

  @TempDir static Path work;

  static List<Snippet> all() {
    List<Snippet> snippets = new ArrayList<>();
    for (Path page : Snippets.pages(ROOT)) {
      snippets.addAll(Snippets.read(ROOT, page));
    }
    return snippets;
  }

  @TestFactory
  Stream<DynamicTest> everyJavaSnippetCompilesAndTheMarkedOnesRun() {
    return all().stream()
        .map(
            snippet ->
                DynamicTest.dynamicTest(
                    snippet.location() + (snippet.run() ? " (compiles, runs)" : " (compiles)"),
                    () -> check(snippet)));
  }

  @Test
  void theDocsHaveSnippetsAndSomeOfThemRun() {
    List<Snippet> snippets = all();
    // A parser that found nothing would pass every block it missed.
    assertThat(snippets).hasSizeGreaterThanOrEqualTo(10);
    assertThat(snippets).filteredOn(Snippet::run).isNotEmpty();
    assertThat(snippets).extracting(snippet -> snippet.page().toString()).contains("README.md");
  }

  private static void check(Snippet snippet) throws Exception {
    Path dir = Files.createTempDirectory(work, "snippet");
    Path sources = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    String source = snippet.source();
    Matcher publicType = PUBLIC_TYPE.matcher(source);
    Path file = sources.resolve((publicType.find() ? publicType.group(1) : "Snippet") + ".java");
    Files.writeString(file, source);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter output = new StringWriter();
    boolean compiled;
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(file);
      List<String> options =
          List.of(
              "--release",
              "17",
              "-proc:none",
              "-nowarn",
              "-encoding",
              "UTF-8",
              "-classpath",
              classPath(),
              "-d",
              classes.toString());
      compiled = compiler.getTask(output, files, null, options, null, units).call();
    }
    if (!compiled) {
      throw new AssertionError(
          snippet.location()
              + ": the snippet does not compile as written.\n"
              + output
              + "\nThe source compiled (the page's imports, the block in its context):\n"
              + numbered(source));
    }
    if (snippet.run()) {
      run(snippet, classes);
    }
  }

  private static void run(Snippet snippet, Path classes) throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, DocSnippetsTest.class.getClassLoader())) {
      Class<?> type = loader.loadClass("Snippet");
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      Object instance = constructor.newInstance();
      Method run = type.getDeclaredMethod("run");
      run.setAccessible(true);
      try {
        run.invoke(instance);
      } catch (InvocationTargetException e) {
        throw new AssertionError(
            snippet.location() + ": the snippet failed when run", e.getCause());
      }
    }
  }

  /** The test class path as Surefire gives it (its booter jar only names it in a manifest). */
  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path", "");
  }

  private static String numbered(String source) {
    StringBuilder numbered = new StringBuilder();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      numbered.append(String.format("%4d  %s%n", i + 1, lines[i]));
    }
    return numbered.toString();
  }
}
