package io.corral.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code corral version}: the client's version and runtime, like {@code docker version}'s client part. */
@Command(name = "version", description = "Show the Corral version information.")
final class VersionCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Client:");
    out.println(" Version:      " + version());
    out.println(" Java version: " + System.getProperty("java.version"));
    out.println(" OS/Arch:      " + System.getProperty("os.name").toLowerCase() + "/"
        + System.getProperty("os.arch"));
    out.flush();
  }

  static String version() {
    return VersionInfo.version();
  }

  /** Supplies {@code corral --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Corral version " + version()};
    }
  }
}
