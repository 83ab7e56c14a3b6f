package io.corral.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for a subcommand (docker accepts it on every command), as a picocli mixin. */
public final class HelpOption {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print usage.")
  boolean help;
}
