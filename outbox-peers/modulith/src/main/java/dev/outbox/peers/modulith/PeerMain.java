package dev.outbox.peers.modulith;

import dev.outbox.peers.PeerOptions;
import dev.outbox.peers.PeerReport;

/** The peer program the benchmark's harness starts: see {@link ModulithPeer}. */
public final class PeerMain {

  private PeerMain() {}

  public static void main(String[] args) {
    try {
      PeerOptions options = PeerOptions.parse(args);
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
