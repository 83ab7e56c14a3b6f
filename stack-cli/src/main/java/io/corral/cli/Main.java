package io.corral.cli;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code corral} command: the entry point of the CLI and of the daemon. */
@Command(
    name = "corral",
    description = "Corral: a Swarm-style container cluster manager.",
    versionProvider = VersionCommand.Provider.class,
    subcommands = {
      VersionCommand.class,
      InfoCommand.class,
      DaemonCommand.class,
      SwarmCommands.class,
      io.corral.cli.node.NodeCommand.class,
      io.corral.cli.service.ServiceCommand.class,
      io.corral.cli.network.NetworkCommand.class,
      io.corral.cli.command.HelpCommand.class
    })
public final class Main implements Runnable, CliContext {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // Inherited: every command and group takes -h/--help, as every docker command does.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print usage.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print version information and quit.")
  boolean version;

  @Option(
      names = {"-s", "--socket"},
      scope = CommandLine.ScopeType.INHERIT,
      defaultValue = "${env:CORRAL_SOCKET:-" + DaemonChannels.DEFAULT_SOCKET + "}",
      description =
          "Unix socket of the local daemon (env CORRAL_SOCKET; default: ${DEFAULT-VALUE}).")
  String socket;

  private final Function<String, ManagedChannel> connector;
  private ManagedChannel channel;
  private Clock clock = Clock.systemUTC();
  private Boolean terminal;
  private java.io.InputStream stdin = System.in;

  public Main() {
    this(DaemonChannels::open);
  }

  /** A CLI whose daemon channel comes from {@code connector} (tests pass an in-process channel). */
  public Main(Function<String, ManagedChannel> connector) {
    this.connector = connector;
  }

  public static void main(String[] args) {
    Main main = new Main();
    int code = commandLine(main).execute(args);
    main.close();
    System.exit(code);
  }

  /** The command tree, ready to execute; tests drive it without exiting the JVM. */
  public static CommandLine commandLine() {
    return commandLine(new Main());
  }

  public static CommandLine commandLine(Main main) {
    CommandLine cmd = io.corral.cli.command.CliErrors.install(new CommandLine(main));
    io.corral.cli.service.ServiceCommand.configure(cmd.getSubcommands().get("service"));
    return cmd;
  }

  /** Uses {@code clock} for relative times and timeouts (tests pass a fixed clock). */
  public Main clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Overrides whether output counts as a terminal (tests render both forms). */
  public Main terminal(boolean terminal) {
    this.terminal = terminal;
    return this;
  }

  /** Reads confirmations from {@code stdin} (tests pass the answer). */
  public Main stdin(java.io.InputStream stdin) {
    this.stdin = stdin;
    return this;
  }

  /** The context of the command line a subcommand belongs to. */
  public static CliContext context(CommandLine.Model.CommandSpec spec) {
    return (CliContext) spec.root().userObject();
  }

  @Override
  public void run() {
    // `corral` alone prints usage, like `docker`.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Override
  public synchronized Channel channel() {
    if (channel == null) {
      channel = connector.apply(socket);
    }
    return channel;
  }

  @Override
  public String socketPath() {
    return socket;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public java.io.InputStream stdin() {
    return stdin;
  }

  @Override
  public boolean terminal() {
    return terminal != null ? terminal : CliContext.super.terminal();
  }

  /** Closes the daemon channel if one was opened. */
  public synchronized void close() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
    }
  }
}
