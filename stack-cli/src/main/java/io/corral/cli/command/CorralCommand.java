package io.corral.cli.command;

import io.corral.cli.CliContext;
import io.corral.cli.Main;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * The base of every {@code corral} subcommand: where it sits in the command tree, its context and
 * its output. A command's body only does its work and throws {@link
 * io.corral.cli.format.CliFailure} or a gRPC error; {@link CliErrors} prints those as docker does.
 */
public abstract class CorralCommand implements Callable<Integer> {

  @CommandLine.Spec protected CommandLine.Model.CommandSpec spec;

  /** The command's work; returns its exit code. */
  protected abstract int run() throws Exception;

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } finally {
      out().flush();
    }
  }

  protected CliContext ctx() {
    return Main.context(spec);
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
