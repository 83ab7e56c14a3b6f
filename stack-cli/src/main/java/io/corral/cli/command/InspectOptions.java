package io.corral.cli.command;

import picocli.CommandLine.Option;

/**
 * The options every {@code KIND inspect} shares with docker's ({@code -f/--format}, {@code
 * --pretty}), as a mixin.
 */
public final class InspectOptions {

  @Option(
      names = {"-f", "--format"},
      description =
          "Format output using a template ('json', 'pretty', or e.g. "
              + "'{{.ID}}'); default: a JSON array.")
  String format = "";

  @Option(names = "--pretty", description = "Print the information in a human friendly format.")
  boolean pretty;

  /** What {@code -f} says ({@code ""} for the JSON array). */
  public String format() {
    return format;
  }

  public boolean pretty() {
    return pretty;
  }
}
