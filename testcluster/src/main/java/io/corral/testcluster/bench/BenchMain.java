package io.corral.testcluster.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code corral-bench}: Corral's benchmarks. They print figures and assert nothing. */
@Command(
    name = "corral-bench",
    mixinStandardHelpOptions = true,
    description = "Measure Corral on this machine; prints figures.",
    subcommands = {
      StoreBench.class,
      ClusterBench.class,
      ConvergeBench.class,
      UpdateBench.class,
      NetworkBench.class,
      CommandLine.HelpCommand.class
    })
public final class BenchMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
