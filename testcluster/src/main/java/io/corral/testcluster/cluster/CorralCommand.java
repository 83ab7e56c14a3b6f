package io.corral.testcluster.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs {@code corral} (the CLI and the daemon): a prefix to which arguments
 * are appended. Tests may substitute any program that accepts the same arguments, e.g. a fake
 * daemon script.
 */
public record CorralCommand(List<String> prefix) {

  public static final String MAIN_CLASS = "io.corral.cli.Main";

  // C1 only, serial GC and a small heap: several daemons and CLIs share a small machine, and C2
  // competes with
  // Raft heartbeats for the CPU at start-up (see bin/corral).
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m");

  public CorralCommand {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("the corral command is empty");
    }
    prefix = List.copyOf(prefix);
  }

  /**
   * {@code corral} from this JVM's class path (in JUnit: the test class path, which has stack-cli).
   */
  public static CorralCommand fromClasspath() {
    List<String> p = new ArrayList<>(List.of(javaBin()));
    p.addAll(JVM_OPTIONS);
    p.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
    return new CorralCommand(p);
  }

  /** {@code corral} from the jar the build makes ({@code stack-cli/target/corral.jar}). */
  public static CorralCommand fromJar(Path jar) {
    List<String> p = new ArrayList<>(List.of(javaBin()));
    p.addAll(JVM_OPTIONS);
    p.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    return new CorralCommand(p);
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The prefix followed by {@code args}. */
  public List<String> with(List<String> args) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(args);
    return all;
  }

  /** {@code corral --socket SOCKET ARGS}: a CLI call to the daemon behind {@code socket}. */
  public List<String> client(Path socket, List<String> args) {
    List<String> all = new ArrayList<>(List.of("--socket", socket.toString()));
    all.addAll(args);
    return with(all);
  }
}
