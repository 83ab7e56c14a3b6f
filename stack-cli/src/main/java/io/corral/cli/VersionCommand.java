package io.corral.cli;

import io.corral.api.LocalSwarmGrpc;
import io.corral.api.ServerVersion;
import io.corral.api.VersionRequest;
import io.corral.cli.format.DaemonCall;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code corral version}: the client's version and runtime, then the daemon's, in {@code docker
 * version}'s layout. Without a daemon it prints the client part and says why the server part is
 * missing, and still exits 0: the client's version is what was asked for.
 */
@Command(name = "version", description = "Show the Corral version information.")
final class VersionCommand implements Runnable {

  /** docker's tabwriter: values start in column 20. */
  private static final String ROW = "%-20s%s%n";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Client:");
    out.printf(ROW, " Version:", version());
    out.printf(ROW, " API version:", VersionInfo.API_VERSION);
    out.printf(ROW, " Java version:", VersionInfo.javaVersion());
    out.printf(ROW, " OS/Arch:", VersionInfo.os() + "/" + VersionInfo.arch());
    out.flush();
    CliContext ctx = Main.context(spec);
    ServerVersion server;
    try {
      server =
          LocalSwarmGrpc.newBlockingStub(ctx.channel())
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .version(VersionRequest.getDefaultInstance())
              .getServer();
    } catch (StatusRuntimeException e) {
      out.println();
      out.flush();
      spec.commandLine().getErr().println(DaemonCall.message(ctx, e));
      spec.commandLine().getErr().flush();
      return;
    }
    out.println();
    out.println("Server: Corral");
    out.println(" Daemon:");
    out.printf(ROW, "  Version:", server.getVersion());
    out.printf(ROW, "  API version:", server.getApiVersion());
    out.printf(ROW, "  Java version:", server.getJavaVersion());
    out.printf(ROW, "  JVM:", server.getJavaVm());
    out.printf(ROW, "  OS/Arch:", server.getOs() + "/" + server.getArch());
    out.printf(ROW, "  Kernel Version:", server.getKernelVersion());
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
