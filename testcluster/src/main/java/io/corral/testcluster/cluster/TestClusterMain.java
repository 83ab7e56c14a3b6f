package io.corral.testcluster.cluster;

import io.corral.testcluster.net.Subnet;
import io.corral.testcluster.net.VirtualLan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/testcluster}: starts a test cluster on this machine and injects faults into it, one
 * command at a time.
 */
@Command(
    name = "testcluster",
    mixinStandardHelpOptions = true,
    description = {
      "Corral nodes on this machine, each a daemon in its own network namespace on a virtual LAN.",
      "Needs root (ip netns). State is kept in ROOT/state.properties between commands."
    },
    subcommands = {
      TestClusterMain.Up.class,
      TestClusterMain.Exec.class,
      TestClusterMain.Kill.class,
      TestClusterMain.Restart.class,
      TestClusterMain.Partition.class,
      TestClusterMain.Heal.class,
      TestClusterMain.Down.class,
      TestClusterMain.Status.class,
      TestClusterMain.Logs.class,
      CommandLine.HelpCommand.class
    })
public final class TestClusterMain implements Runnable {

  /** Set by bin/testcluster: the corral jar daemons and CLIs run from. */
  public static final String CORRAL_JAR_PROPERTY = "corral.testcluster.corralJar";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree; errors print as one line naming what failed instead of a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TestClusterMain());
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println("testcluster: " + e.getMessage());
          return 1;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** --name and --root, shared by every subcommand. */
  static final class Target {
    @Option(
        names = "--name",
        defaultValue = "corral",
        description = "Cluster name; namespaces are crl-NAME-… (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--root", description = "Work dir (default: /tmp/corral-testcluster/NAME).")
    Path root;

    Path root() {
      return root != null ? root : TestCluster.defaultRoot(name);
    }

    /** The options to repeat in a suggested command, so that it reaches this cluster. */
    String repeat() {
      return (name.equals("corral") ? "" : " --name " + name)
          + (root == null ? "" : " --root " + root);
    }

    TestCluster attach() {
      return TestCluster.attach(root());
    }
  }

  /** Base of the subcommands: the shared options and the output stream. */
  abstract static class Sub implements Callable<Integer> {
    @Mixin Target target;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description =
          "Create the LAN, start every node's daemon, wait until each answers, "
              + "and form the swarm (init on m1, managers join one by one, then workers).")
  static final class Up extends Sub {
    @Option(
        names = "--managers",
        defaultValue = "3",
        description = "Managers m1..mN (default: ${DEFAULT-VALUE}).")
    int managers;

    @Option(
        names = "--workers",
        defaultValue = "0",
        description = "Workers w1..wM (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
        names = "--subnet",
        defaultValue = "10.77.0.0/24",
        description = "LAN subnet; node i gets host 10+i (default: ${DEFAULT-VALUE}).")
    String subnet;

    @Option(
        names = "--ready-timeout",
        defaultValue = "120",
        description = "Seconds each daemon may take to answer (default: ${DEFAULT-VALUE}).")
    int readyTimeout;

    @Option(
        names = "--executor",
        defaultValue = "auto",
        description =
            "Every daemon's --executor: auto, docker or process (default: ${DEFAULT-VALUE}).")
    String executor;

    @Option(names = "--no-form", description = "Start the daemons but do not form the swarm.")
    boolean noForm;

    @Option(
        names = "--corral-jar",
        defaultValue = "${sys:" + CORRAL_JAR_PROPERTY + "}",
        description =
            "The corral jar (default: what bin/testcluster passes; without one, this class path).")
    Path corralJar;

    @Option(
        names = "--corral-command",
        hidden = true,
        split = ",",
        description = "Replaces the whole corral command (comma-separated words); for tests.")
    List<String> corralCommand;

    @Override
    public Integer call() {
      TestCluster.Builder b =
          TestCluster.builder()
              .name(target.name)
              .rootDir(target.root())
              .managers(managers)
              .workers(workers)
              .subnet(subnet)
              .readyTimeout(Duration.ofSeconds(readyTimeout))
              .keepWorkDir(true)
              .downOnExit(false)
              .corralCommand(corralCommand())
              .daemonOptions("--executor", executor);
      TestCluster c = noForm ? b.startWithoutForming() : b.up();
      ExampleImages.write(c);
      if (!c.leftovers().isEmpty()) {
        out()
            .println(
                "removed what an earlier test cluster "
                    + c.name()
                    + " left: "
                    + c.leftovers().describe());
      }
      out()
          .printf(
              "test cluster %s is up (%d managers, %d workers%s); work dir %s%n",
              c.name(),
              c.managers().size(),
              c.workers().size(),
              noForm ? ", swarm not formed" : "",
              c.root());
      Status.table(c, out());
      Status.logs(c, target, out());
      out()
          .printf(
              "try: bin/testcluster exec%s %s -- corral info%n", target.repeat(), c.nodes().get(0));
      out()
          .printf(
              "     bin/testcluster exec%s %s -- corral service create --name web --replicas 10 %s "
                  + "(with --executor process)%n",
              target.repeat(), c.nodes().get(0), ExampleImages.HELLO);
      out()
          .printf(
              "     bin/testcluster exec%s %s -- corral service update --image %s web "
                  + "(then: corral service rollback web)%n",
              target.repeat(), c.nodes().get(0), ExampleImages.HELLO_2);
      return 0;
    }

    private CorralCommand corralCommand() {
      if (corralCommand != null && !corralCommand.isEmpty()) {
        return new CorralCommand(corralCommand);
      }
      if (corralJar != null) {
        if (!Files.isRegularFile(corralJar)) {
          throw new IllegalArgumentException(
              corralJar + " is missing; build it: ./mvnw -B -ntp -DskipTests package");
        }
        return CorralCommand.fromJar(corralJar);
      }
      return CorralCommand.fromClasspath();
    }
  }

  @Command(
      name = "exec",
      mixinStandardHelpOptions = true,
      description =
          "Run a command inside a node's namespace; a leading `corral` talks to "
              + "that node's daemon. Example: exec m1 -- corral node ls")
  static final class Exec extends Sub {
    @Parameters(index = "0", description = "Node (m1, w1, …).")
    String node;

    @Parameters(index = "1..*", arity = "1..*", description = "The command, after --.")
    List<String> command;

    @Override
    public Integer call() throws IOException, InterruptedException {
      List<String> line = target.attach().commandLine(node, command);
      // Inherit the terminal: output streams as it comes and interactive commands work.
      Process p = new ProcessBuilder(line).inheritIO().start();
      int code = p.waitFor();
      if (ClusterState.exists(target.root())) {
        target
            .attach()
            .recordNodeIds(); // e.g. after `corral swarm join`: down finds the node's containers by
        // it
      }
      return code;
    }
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description = "kill -9 a node's daemon (its whole process group).")
  static final class Kill extends Sub {
    @Parameters(index = "0", description = "Node.")
    String node;

    @Override
    public Integer call() {
      target.attach().kill(node);
      out().println("killed the daemon of " + node);
      return 0;
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description =
          "Start a node's daemon again on the same data dir (killing it first "
              + "if it runs) and wait until it answers.")
  static final class Restart extends Sub {
    @Parameters(index = "0", description = "Node.")
    String node;

    @Override
    public Integer call() {
      TestCluster c = target.attach();
      c.restart(node);
      out().println(node + " is running again (pid " + c.pid(node).orElse(-1) + ")");
      return 0;
    }
  }

  @Command(
      name = "partition",
      mixinStandardHelpOptions = true,
      description = "Cut a node off the LAN, both ways (its daemon keeps running).")
  static final class Partition extends Sub {
    @Parameters(index = "0", description = "Node.")
    String node;

    @Override
    public Integer call() {
      target.attach().partition(node);
      out()
          .println(
              node
                  + " is cut off the LAN; undo with: bin/testcluster heal"
                  + target.repeat()
                  + " "
                  + node);
      return 0;
    }
  }

  @Command(
      name = "heal",
      mixinStandardHelpOptions = true,
      description = "Put a partitioned node back on the LAN.")
  static final class Heal extends Sub {
    @Parameters(index = "0", description = "Node.")
    String node;

    @Override
    public Integer call() {
      target.attach().heal(node);
      out().println(node + " is back on the LAN");
      return 0;
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description =
          "Kill every daemon and the task processes of its nodes, remove the Docker containers, "
              + "volumes and networks labelled with its node ids, delete the namespaces (also leftovers of a failed run) "
              + "and the work dir, keeping the daemon logs until the next up. Idempotent.")
  static final class Down extends Sub {
    @Option(names = "--keep-files", description = "Keep the work dir (logs, data).")
    boolean keepFiles;

    @Override
    public Integer call() {
      Teardown t =
          TestCluster.down(
              target.name,
              target.root(),
              keepFiles ? TestCluster.Keep.EVERYTHING : TestCluster.Keep.LOGS);
      out().println("test cluster " + target.name + " is down: " + t.describe());
      if (keepFiles) {
        out().println("files kept in " + target.root());
      } else if (!DaemonLogs.keptNodes(target.root()).isEmpty()) {
        out()
            .println(
                "daemon logs kept in "
                    + DaemonLogs.keptDir(target.root())
                    + " until the next up: "
                    + "bin/testcluster logs"
                    + target.repeat()
                    + " NODE");
      }
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Nodes, addresses, daemons and partitions. Exits 1 if there is no cluster.")
  static final class Status extends Sub {
    @Override
    public Integer call() {
      Path root = target.root();
      if (!ClusterState.exists(root)) {
        List<String> left = new VirtualLan(target.name, Subnet.DEFAULT).existingNamespaces();
        out()
            .println(
                "no test cluster "
                    + target.name
                    + " (no "
                    + ClusterState.file(root)
                    + ")"
                    + (left.isEmpty()
                        ? ""
                        : "; leftover namespaces "
                            + left
                            + ": bin/testcluster down"
                            + target.repeat()));
        List<String> kept = DaemonLogs.keptNodes(root);
        if (!kept.isEmpty()) {
          out()
              .println(
                  "daemon logs of the last one ("
                      + String.join(", ", kept)
                      + ") are kept in "
                      + DaemonLogs.keptDir(root)
                      + ": bin/testcluster logs"
                      + target.repeat()
                      + " NODE");
        }
        return 1;
      }
      TestCluster c = target.attach();
      out().println("test cluster " + c.name() + ", work dir " + c.root() + ", LAN " + c.subnet());
      table(c, out());
      logs(c, target, out());
      return 0;
    }

    static void logs(TestCluster c, Target target, PrintWriter out) {
      out.println(
          "daemon logs: "
              + c.root().resolve("NODE").resolve(c.logOf(c.nodes().get(0)).getFileName())
              + "; print one with: bin/testcluster logs"
              + target.repeat()
              + " NODE [-f]");
      out.flush();
    }

    static void table(TestCluster c, PrintWriter out) {
      out.printf(
          "%-6s %-8s %-15s %-8s %-8s %s%n", "NODE", "ROLE", "ADDRESS", "PID", "DAEMON", "LAN");
      for (String n : c.nodes()) {
        String lan;
        try {
          lan = c.isPartitioned(n) ? "CUT" : "connected";
        } catch (RuntimeException e) {
          lan = "missing"; // the namespaces are gone, e.g. after down --keep-files
        }
        out.printf(
            "%-6s %-8s %-15s %-8s %-8s %s%n",
            n,
            c.node(n).role().word(),
            c.address(n),
            c.pid(n).isPresent() ? Long.toString(c.pid(n).getAsLong()) : "-",
            c.isRunning(n) ? "running" : "stopped",
            lan);
      }
      out.flush();
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description =
          "Print a node's daemon log: the one in the work dir while the cluster exists, else the one "
              + "kept after down (until the next up).")
  static final class Logs extends Sub {
    @Parameters(index = "0", description = "Node.")
    String node;

    @Option(
        names = {"-f", "--follow"},
        description = "Then print what is appended, until the cluster goes down.")
    boolean follow;

    @Override
    public Integer call() throws IOException {
      DaemonLogs.print(log(), out(), follow);
      return 0;
    }

    private Path log() {
      Path root = target.root();
      if (ClusterState.exists(root)) {
        return target.attach().logOf(node);
      }
      Path kept = DaemonLogs.kept(root, node);
      if (!Files.isRegularFile(kept)) {
        List<String> nodes = DaemonLogs.keptNodes(root);
        throw new IllegalArgumentException(
            "no test cluster "
                + target.name
                + " in "
                + root
                + ", and "
                + (nodes.isEmpty()
                    ? "no daemon logs kept in " + DaemonLogs.keptDir(root)
                    : "no log of "
                        + node
                        + " kept in "
                        + DaemonLogs.keptDir(root)
                        + " (only of "
                        + nodes
                        + ")"));
      }
      return kept;
    }
  }
}
