package io.corral.cli;

import io.corral.daemon.Daemon;
import io.corral.daemon.DaemonConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corral daemon}: runs this machine's daemon in the foreground (like dockerd). */
@Command(
    name = "daemon",
    description = "Run the Corral daemon (one per machine) in the foreground.")
public final class DaemonCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      defaultValue = "/var/lib/corral",
      description =
          "Where the node keeps its identity, state and Raft data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--listen-addr",
      defaultValue = "0.0.0.0:2377",
      description =
          "host:port of the cluster API when this node is a manager (default: ${DEFAULT-VALUE}); "
              + "Raft uses the next port.")
  String listenAddr;

  @Option(
      names = "--advertise-addr",
      defaultValue = "",
      description =
          "Address other nodes reach this one at (default: the --advertise-addr of init/join).")
  String advertiseAddr;

  @Option(
      names = "--hostname",
      description = "Hostname this node reports (default: the machine's).")
  String hostname;

  @Option(
      names = "--executor",
      defaultValue = "auto",
      description =
          "How tasks run: docker (Docker Engine on /var/run/docker.sock), process (host processes), "
              + "or auto: docker when an engine answers (default: ${DEFAULT-VALUE}).")
  String executor;

  @Option(
      names = "--image-root",
      description =
          "Images of the process executor: NAME/TAG/ directories (default: DATA-DIR/images).")
  Path imageRoot;

  @picocli.CommandLine.ParentCommand Main main;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String name =
        hostname != null && !hostname.isBlank()
            ? hostname
            : InetAddress.getLocalHost().getHostName();
    if (!java.util.Set.of("auto", "docker", "process").contains(executor)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--executor: expected auto, docker or " + "process, got " + executor);
    }
    Daemon daemon =
        new Daemon(
                new DaemonConfig(
                    dataDir,
                    Path.of(main.socketPath()),
                    listenAddr,
                    advertiseAddr,
                    name,
                    executor,
                    imageRoot != null ? imageRoot : dataDir.resolve("images")))
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  daemon.close();
                  stopped.countDown();
                },
                "daemon-shutdown"));
    stopped.await();
    return 0;
  }
}
