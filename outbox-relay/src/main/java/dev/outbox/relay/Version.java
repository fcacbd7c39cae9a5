package dev.outbox.relay;

import picocli.CommandLine.IVersionProvider;

/** The version the jar's manifest states. */
final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = OutboxCli.class.getPackage().getImplementationVersion();
    return new String[] {"outbox " + (version == null ? "(development build)" : version)};
  }
}
