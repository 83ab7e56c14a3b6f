package io.corral.worker.exec.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program a command line names, as exec does: a name with a slash is a path, any other is
 * looked up in PATH.
 */
final class Executables {

  private Executables() {}

  /**
   * The executable {@code name} runs, relative paths taken from {@code workdir}; throws {@link
   * IllegalArgumentException} with docker's wording when there is none.
   */
  static Path find(String name, String path, Path workdir) {
    if (name.contains("/")) {
      Path p = workdir.resolve(name);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException(
            "exec: \"" + name + "\": stat " + name + ": no such file or directory");
      }
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        throw new IllegalArgumentException("exec: \"" + name + "\": permission denied");
      }
      return p;
    }
    for (String dir : path.split(":")) {
      Path p = (dir.isEmpty() ? workdir : workdir.resolve(dir)).resolve(name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "exec: \"" + name + "\": executable file not found in $PATH");
  }
}
