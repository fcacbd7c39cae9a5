package dev.outbox.peers.modulith;

import dev.outbox.peers.PeerOptions;
import dev.outbox.peers.PeerReport;
import java.util.Map;

/** The peer program the benchmark's harness starts: see {@link ModulithPeer}. */
public final class PeerMain {

  private PeerMain() {}

  public static void main(String[] args) {
    try {
      PeerOptions options = PeerOptions.parse(args);
      if (options.paced().isPresent()) {
        ModulithPeer.paced(options, options.paced().get());
        PeerReport.paced(
            ModulithPeer.NAME, ModulithPeer.VERSION, options.paced().get().events(), Map.of());
        System.exit(0);
      }
      ModulithPeer.Drain drain = ModulithPeer.run(options);
      PeerReport.drain(
          ModulithPeer.NAME,
          ModulithPeer.VERSION,
          options.events(),
          drain.nanos(),
          drain.settings());
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}
