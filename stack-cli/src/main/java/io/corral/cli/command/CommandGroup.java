package io.corral.cli.command;

import picocli.CommandLine;

/**
 * A command that only groups others ({@code corral node}, {@code corral service}): alone it prints
 * its usage.
 */
public abstract class CommandGroup implements Runnable {

  @CommandLine.Spec protected CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // `corral node` alone prints its usage, like `docker node`.
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
