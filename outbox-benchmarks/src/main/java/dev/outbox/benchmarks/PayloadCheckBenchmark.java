package dev.outbox.benchmarks;

import com.sun.management.ThreadMXBean;
import dev.outbox.internal.Json;
import dev.outbox.internal.JsonCheck;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;

/**
 * What checking a payload costs on the caller's transaction thread: the one-pass scanner that an
 * event's payload goes through now, beside the tree-building reader that checked it before (which
 * still reads the headers column), on a 300-byte order and a 1 MiB document, in time and bytes
 * allocated per check. Run with {@code mvn -q -pl outbox-benchmarks -am compile exec:exec
 * -Dbench.main=dev.outbox.benchmarks.PayloadCheckBenchmark -Dbench.args=}.
 */
public final class PayloadCheckBenchmark {

  private static final int ROUNDS = 5;

  private PayloadCheckBenchmark() {}

  public static void main(String[] args) {
    measure("300 B", order(), 200_000);
    measure("1 MiB", document(1024 * 1024), 50);
  }

  private static void measure(String name, String json, int checks) {
    // The last round counts: the ones before warm the JIT up.
    for (int round = 1; round < ROUNDS; round++) {
      run(checks, Json::parse, json);
      run(checks, JsonCheck::check, json);
    }
    Result tree = run(checks, Json::parse, json);
    Result scan = run(checks, JsonCheck::check, json);
    System.out.printf(
        "payload-check: size=%s chars=%d tree_us=%.1f tree_bytes=%d scan_us=%.1f scan_bytes=%d"
            + " ratio=%.2f%n",
        name,
        json.length(),
        tree.micros(),
        tree.bytes(),
        scan.micros(),
        scan.bytes(),
        scan.micros() / tree.micros());
  }

  private record Result(double micros, long bytes) {}

  private static Result run(int checks, Consumer<String> check, String json) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = threads.getCurrentThreadAllocatedBytes();
    long started = System.nanoTime();
    for (int i = 0; i < checks; i++) {
      check.accept(json);
    }
    long took = System.nanoTime() - started;
    return new Result(
        took / 1000.0 / checks, (threads.getCurrentThreadAllocatedBytes() - allocated) / checks);
  }

  private static String order() {
    StringBuilder json =
        new StringBuilder("{\"orderId\":\"o-123\",\"customer\":\"c-9\",\"lines\":[");
    for (int i = 0; i < 5; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"sku\":\"s-")
          .append(i)
          .append("\",\"qty\":2,\"price\":19.99}");
    }
    return json.append("],\"note\":\"").append("x".repeat(60)).append("\"}").toString();
  }

  private static String document(int size) {
    StringBuilder json = new StringBuilder("[");
    while (json.length() < size - 100) {
      json.append(json.length() == 1 ? "" : ",")
          .append(
              "{\"id\":12345,\"name\":\"item name here\",\"price\":12.5,\"tags\":[\"a\",\"b\"]}");
    }
    return json.append(']').toString();
  }
}
