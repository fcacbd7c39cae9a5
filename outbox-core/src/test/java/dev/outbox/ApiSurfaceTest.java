package dev.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sealed API: the module exports only {@code dev.outbox} and {@code dev.outbox.spi}, and no
 * public or protected member of a type there mentions a type users cannot reach.
 */
class ApiSurfaceTest {

  private static final Set<String> API_PACKAGES = Set.of("dev.outbox", "dev.outbox.spi");

  @Test
  void theModuleExportsOnlyTheApiAndTheExtensionPoints() throws IOException {
    ModuleDescriptor module;
    try (InputStream in = Dispatcher.class.getResourceAsStream("/module-info.class")) {
      assertThat(in).as("module-info.class of outbox-core").isNotNull();
      module = ModuleDescriptor.read(in);
    }
    assertThat(module.name()).isEqualTo("dev.outbox");
    Map<String, Set<String>> exports =
        module.exports().stream()
            .collect(Collectors.toMap(ModuleDescriptor.Exports::source, e -> e.targets()));
    assertThat(exports)
        .containsOnly(
            Map.entry("dev.outbox", Set.of()),
            Map.entry("dev.outbox.spi", Set.of()),
            Map.entry("dev.outbox.internal", Set.of("dev.outbox.test")));
    assertThat(module.opens()).isEmpty();
  }

  @Test
  void publicSignaturesMentionOnlyApiTypesAndTheJdkOrSlf4j() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : apiTypes()) {
      for (Type mentioned : signatureTypes(type)) {
        for (Class<?> used : rawTypes(mentioned)) {
          if (!reachable(used)) {
            leaks.add(type.getName() + " mentions " + used.getName());
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  /** Every public type, nested ones included, of the exported packages. */
  private static Set<Class<?>> apiTypes() throws IOException, URISyntaxException {
    Path classes =
        Path.of(Dispatcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<Class<?>> types = new java.util.LinkedHashSet<>();
    for (String pkg : API_PACKAGES) {
      Path dir = classes.resolve(pkg.replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
          String simple = file.getFileName().toString().replace(".class", "");
          if (simple.equals("package-info")) {
            continue;
          }
          Class<?> type;
          try {
            type = Class.forName(pkg + "." + simple, false, Dispatcher.class.getClassLoader());
          } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
          }
          if (isVisible(type)) {
            types.add(type);
          }
        }
      }
    }
    return types;
  }

  private static boolean isVisible(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isSynthetic()) {
        return false;
      }
    }
    return true;
  }

  private static List<Type> signatureTypes(Class<?> type) {
    List<Type> types = new ArrayList<>();
    if (type.getGenericSuperclass() != null) {
      types.add(type.getGenericSuperclass());
    }
    types.addAll(List.of(type.getGenericInterfaces()));
    for (Method m : type.getDeclaredMethods()) {
      if (visibleMember(m.getModifiers()) && !m.isSynthetic()) {
        types.add(m.getGenericReturnType());
        types.addAll(List.of(m.getGenericParameterTypes()));
        types.addAll(List.of(m.getGenericExceptionTypes()));
      }
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (visibleMember(c.getModifiers()) && !c.isSynthetic()) {
        types.addAll(List.of(c.getGenericParameterTypes()));
        types.addAll(List.of(c.getGenericExceptionTypes()));
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (visibleMember(f.getModifiers()) && !f.isSynthetic()) {
        types.add(f.getGenericType());
      }
    }
    return types;
  }

  private static boolean visibleMember(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static List<Class<?>> rawTypes(Type type) {
    List<Class<?>> raw = new ArrayList<>();
    if (type instanceof Class<?> c) {
      raw.add(c.isArray() ? c.getComponentType() : c);
    } else if (type instanceof ParameterizedType p) {
      raw.addAll(rawTypes(p.getRawType()));
      for (Type argument : p.getActualTypeArguments()) {
        raw.addAll(rawTypes(argument));
      }
    } else if (type instanceof GenericArrayType a) {
      raw.addAll(rawTypes(a.getGenericComponentType()));
    } else if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        raw.addAll(rawTypes(bound));
      }
      for (Type bound : w.getLowerBounds()) {
        raw.addAll(rawTypes(bound));
      }
    } else if (type instanceof TypeVariable<?> v) {
      for (Type bound : v.getBounds()) {
        raw.addAll(rawTypes(bound));
      }
    }
    return raw;
  }

  private static boolean reachable(Class<?> type) {
    if (type.isPrimitive()) {
      return true;
    }
    String pkg = type.getPackageName();
    return API_PACKAGES.contains(pkg) && isVisible(type)
        || pkg.startsWith("java.")
        || pkg.startsWith("javax.sql")
        || pkg.equals("org.slf4j");
  }
}
