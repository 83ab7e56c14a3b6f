package io.corral.testcluster.scenario;

import io.corral.testcluster.cluster.TestCluster;
import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What of a test cluster's tasks still exists after it was taken down: containers, task processes,
 * daemons.
 */
final class Leftovers {

  private static final Duration DOCKER = Duration.ofSeconds(60);

  private Leftovers() {}

  /**
   * The sessions of the process executor's task processes: the wrapper pids of
   * DATA/tasks/<id>/launch.properties.
   */
  static Set<Long> taskSessions(TestCluster cluster) {
    Set<Long> sessions = new HashSet<>();
    for (String node : cluster.nodes()) {
      Path tasks = cluster.files(node).taskStateDir();
      if (!Files.isDirectory(tasks)) {
        continue;
      }
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks, Files::isDirectory)) {
        for (Path dir : dirs) {
          Path launch = dir.resolve("launch.properties");
          if (Files.exists(launch)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(launch)) {
              p.load(in);
            }
            sessions.add(Long.parseLong(p.getProperty("pid")));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sessions;
  }

  /**
   * {@code docker ps -a --filter label=io.corral.node.id=ID} for each id; empty without a docker
   * CLI.
   */
  static List<String> containers(Set<String> nodeIds) {
    List<String> found = new ArrayList<>();
    for (String id : nodeIds) {
      CommandResult r;
      try {
        r =
            Shell.run(
                List.of(
                    "docker",
                    "ps",
                    "-a",
                    "--filter",
                    "label=io.corral.node.id=" + id,
                    "--format",
                    "{{.Names}}"),
                DOCKER);
      } catch (UncheckedIOException e) {
        return List.of(); // no docker CLI
      }
      r.stdout().lines().filter(l -> !l.isBlank()).forEach(found::add);
    }
    return found;
  }

  /**
   * Live processes in one of {@code sessions}, or whose command line names {@code root} (daemons,
   * task wrappers).
   */
  static List<String> processes(Set<Long> sessions, String root) {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          String cmdline =
              Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1)
                  .replace('\0', ' ');
          boolean zombie = f[0].equals("Z") || f[0].equals("X");
          if (!zombie && (sessions.contains(Long.parseLong(f[3])) || cmdline.contains(root))) {
            found.add(proc.getFileName() + " " + cmdline.strip());
          }
        } catch (IOException | RuntimeException e) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }
}
