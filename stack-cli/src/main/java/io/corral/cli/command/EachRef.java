package io.corral.cli.command;

import io.corral.cli.CliContext;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's loop over the references of {@code inspect}, {@code rm}, {@code ps}: act on each, go on
 * after a failure, and report every failure at the end (one line each, exit code 1).
 */
public final class EachRef {

  /** What is done for one reference; returns what the command collects (or null). */
  public interface Action<T> {
    T apply(String ref) throws Exception;
  }

  /**
   * The results of the references that worked, and the messages of those that failed, in argument
   * order.
   */
  public record Outcome<T>(List<T> results, List<String> errors) {

    /** Fails with every error message, one per line, if there was any. */
    public void failIfAny() {
      if (!errors.isEmpty()) {
        throw new CliFailure(String.join("\n", errors));
      }
    }
  }

  private EachRef() {}

  /**
   * Runs {@code action} for each of {@code refs}; daemon errors are worded as {@link
   * DaemonCall#message}.
   */
  public static <T> Outcome<T> apply(CliContext ctx, List<String> refs, Action<T> action)
      throws Exception {
    List<T> results = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String ref : refs) {
      try {
        T result = action.apply(ref);
        if (result != null) {
          results.add(result);
        }
      } catch (CliFailure e) {
        errors.add(e.getMessage());
      } catch (StatusRuntimeException e) {
        errors.add(DaemonCall.message(ctx, e));
      }
    }
    return new Outcome<>(results, errors);
  }
}
