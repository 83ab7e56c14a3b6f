package io.corral.cli.command;

import io.corral.cli.CliContext;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/**
 * {@code KIND inspect [--pretty] [-f FORMAT] REF...} for any object kind: docker's JSON array, one
 * JSON object per line ({@code -f json}), a template per object, or the human-readable form. A kind
 * supplies how to read an object, its JSON and its pretty form, and which combinations of flags it
 * refuses.
 */
public abstract class InspectCommand<T> extends CorralCommand {

  @Mixin protected InspectOptions options;

  private final BiFunction<CliContext, String, T> read;
  private final Function<T, Map<String, Object>> json;
  private final BiFunction<CliContext, T, String> pretty;

  /**
   * A kind's inspect command. The subclass declares the one positional parameter, the references
   * (so that its usage names them: NODE, SERVICE, …).
   *
   * @param read the object a reference names, read from the manager
   * @param json the object as docker's inspect prints it
   * @param pretty the human-readable form ({@code --pretty})
   */
  protected InspectCommand(
      BiFunction<CliContext, String, T> read,
      Function<T, Map<String, Object>> json,
      Function<T, String> pretty) {
    this(read, json, (ctx, t) -> pretty.apply(t));
  }

  /**
   * As {@link #InspectCommand(BiFunction, Function, Function)}, for a pretty form that needs the
   * context (its clock: "2 seconds ago").
   */
  protected InspectCommand(
      BiFunction<CliContext, String, T> read,
      Function<T, Map<String, Object>> json,
      BiFunction<CliContext, T, String> pretty) {
    this.read = read;
    this.json = json;
    this.pretty = pretty;
  }

  /**
   * The form asked for: {@code pretty}, {@code json}, empty (the array) or a template; refuses, in
   * the words docker uses for this kind, a combination of {@code --pretty} and {@code -f} it does
   * not accept.
   */
  protected abstract String form(InspectOptions options);

  @Override
  protected int run() throws Exception {
    String form = form(options);
    @SuppressWarnings("unchecked")
    List<String> refs = (List<String>) spec.positionalParameters().get(0).getValue();
    if (form.equals("pretty")) {
      Inspector.pretty(out(), refs, ref -> pretty.apply(ctx(), read.apply(ctx(), ref)));
    } else {
      Inspector.print(ctx(), out(), refs, form, ref -> json.apply(read.apply(ctx(), ref)));
    }
    return 0;
  }
}
