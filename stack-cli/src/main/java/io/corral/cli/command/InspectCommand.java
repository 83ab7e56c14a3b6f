package io.corral.cli.command;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * {@code KIND inspect [--pretty] [-f FORMAT] REF...} for any object kind: docker's JSON array, one JSON object
 * per line ({@code -f json}), a template per object, or the human-readable form. A kind supplies how to read an
 * object, its JSON and its pretty form.
 */
public abstract class InspectCommand<T> extends CorralCommand {

  @Mixin
  protected InspectOptions options;

  /** The references given (each kind declares its own parameter, for its usage line). */
  protected abstract List<String> refs();

  /** The object {@code ref} names, read from the manager. */
  protected abstract T read(String ref);

  /** The object as docker's inspect prints it. */
  protected abstract Map<String, Object> json(T object);

  /** The human-readable form ({@code --pretty}). */
  protected abstract String pretty(T object);

  /**
   * The form asked for: {@code pretty}, {@code json}, empty (the array) or a template; refuses, in the words
   * docker uses for this kind, a combination of {@code --pretty} and {@code -f} it does not accept.
   */
  protected abstract String form(InspectOptions options);

  @Override
  protected int run() throws Exception {
    String form = form(options);
    if (form.equals("pretty")) {
      Inspector.pretty(out(), refs(), ref -> pretty(read(ref)));
    } else {
      Inspector.print(ctx(), out(), refs(), form, ref -> json(read(ref)));
    }
    return 0;
  }
}
