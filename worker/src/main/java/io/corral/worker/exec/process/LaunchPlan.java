package io.corral.worker.exec.process;

import io.corral.api.ContainerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run for a task, decided from its container spec and its image with docker's rules: the
 * spec's command replaces the image entrypoint (and drops the image cmd), the spec's args replace
 * the image cmd; the environment is a default PATH, then the image env, then the task env; the
 * spec's dir overrides the image workdir, and a relative workdir (or none) is taken from the image
 * directory, the process executor's analogue of an image root.
 */
public record LaunchPlan(
    List<String> argv,
    Map<String, String> env,
    Path workdir,
    String user,
    List<String> groups,
    String stopSignal) {

  /** Docker's default PATH for Linux containers. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public LaunchPlan {
    argv = List.copyOf(argv);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    groups = List.copyOf(groups);
  }

  /**
   * The plan for {@code spec} on {@code image}; throws {@link IllegalArgumentException} when there
   * is no command.
   */
  public static LaunchPlan of(ContainerSpec spec, ImageManifest image) {
    List<String> entrypoint =
        spec.getCommandCount() > 0 ? spec.getCommandList() : image.entrypoint();
    List<String> cmd;
    if (spec.getArgsCount() > 0) {
      cmd = spec.getArgsList();
    } else {
      cmd = spec.getCommandCount() > 0 ? List.of() : image.cmd();
    }
    List<String> argv = new ArrayList<>(entrypoint);
    argv.addAll(cmd);
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("No command specified");
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DEFAULT_PATH);
    env.putAll(image.env());
    for (String entry : spec.getEnvList()) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      } else if (eq < 0 && !entry.isEmpty()) {
        env.remove(
            entry); // "NAME" alone: no value given, so the variable is not set (as docker does)
      }
    }
    String dir = !spec.getDir().isBlank() ? spec.getDir().strip() : image.workdir();
    Path workdir = dir.isEmpty() ? image.directory() : image.directory().resolve(dir);
    return new LaunchPlan(
        argv,
        env,
        workdir.normalize(),
        spec.getUser().strip(),
        spec.getGroupsList(),
        spec.getStopSignal().strip());
  }
}
