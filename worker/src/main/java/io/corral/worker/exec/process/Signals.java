package io.corral.worker.exec.process;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Sends signals to a task's whole process group, through the shell's {@code kill} (the JDK can only
 * TERM or KILL one pid).
 */
final class Signals {

  private static final Pattern SIGNAL = Pattern.compile("[0-9]{1,2}|[A-Z][A-Z0-9+-]*");

  private Signals() {}

  /**
   * The signal name {@code kill -s} takes for a spec's stop signal ("SIGINT", "int", "2"), or TERM
   * when the spec gives none or one that is not a signal name.
   */
  static String normalize(String signal) {
    String s = signal.strip().toUpperCase(Locale.ROOT);
    if (s.startsWith("SIG")) {
      s = s.substring(3);
    }
    return SIGNAL.matcher(s).matches() ? s : "TERM";
  }

  /**
   * Sends {@code signal} to every process in group {@code pgid}; false when there was none (or kill
   * failed).
   */
  static boolean sendToGroup(int pgid, String signal) {
    if (pgid <= 1) {
      return false; // never signal "every process" or init by accident
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "kill -s \"$1\" -- \"-$2\"",
                "kill",
                normalize(signal),
                Integer.toString(pgid))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
