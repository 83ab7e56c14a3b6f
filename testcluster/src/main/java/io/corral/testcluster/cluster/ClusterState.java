package io.corral.testcluster.cluster;

import io.corral.testcluster.net.Subnet;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one invocation of the harness tells the next: the cluster's nodes, addresses, daemon pids,
 * the swarm node ids each node has had (so that its containers can be found once its data dir is
 * gone) and the corral command, in {@code <root>/state.properties}.
 */
record ClusterState(
    String name,
    Subnet subnet,
    CorralCommand corral,
    List<String> daemonOptions,
    Duration readyTimeout,
    List<ClusterNode> nodes,
    Map<String, DaemonPid> daemons,
    Map<String, Set<String>> nodeIds) {

  static final String FILE = "state.properties";

  ClusterState {
    nodes = List.copyOf(nodes);
    daemons = Map.copyOf(daemons);
    daemonOptions = List.copyOf(daemonOptions);
    Map<String, Set<String>> ids = new LinkedHashMap<>();
    nodeIds.forEach((n, set) -> ids.put(n, Collections.unmodifiableSet(new LinkedHashSet<>(set))));
    nodeIds = Collections.unmodifiableMap(ids);
  }

  static Path file(Path root) {
    return root.resolve(FILE);
  }

  /**
   * Writes the state atomically, so that a concurrent reader sees the old or the new file, never
   * half of one.
   */
  void save(Path root) {
    Properties p = new Properties();
    p.setProperty("name", name);
    p.setProperty("subnet", subnet.toString());
    p.setProperty("ready.timeout", readyTimeout.toString());
    List<String> cmd = corral.prefix();
    p.setProperty("corral.command.count", Integer.toString(cmd.size()));
    for (int i = 0; i < cmd.size(); i++) {
      p.setProperty("corral.command." + i, cmd.get(i));
    }
    p.setProperty("daemon.option.count", Integer.toString(daemonOptions.size()));
    for (int i = 0; i < daemonOptions.size(); i++) {
      p.setProperty("daemon.option." + i, daemonOptions.get(i));
    }
    p.setProperty("nodes", String.join(",", nodes.stream().map(ClusterNode::name).toList()));
    for (ClusterNode n : nodes) {
      p.setProperty("node." + n.name() + ".role", n.role().word());
      p.setProperty("node." + n.name() + ".address", n.address());
      DaemonPid d = daemons.get(n.name());
      if (d != null) {
        p.setProperty("node." + n.name() + ".pid", d.toString());
      }
      Set<String> ids = nodeIds.getOrDefault(n.name(), Set.of());
      if (!ids.isEmpty()) {
        p.setProperty("node." + n.name() + ".ids", String.join(",", ids));
      }
    }
    Path target = file(root);
    Path tmp = root.resolve(FILE + ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(
            w, "testcluster " + name + " (written by io.corral.testcluster.cluster.TestCluster)");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  static boolean exists(Path root) {
    return Files.isRegularFile(file(root));
  }

  static ClusterState load(Path root) {
    Path f = file(root);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(
          "no test cluster in "
              + root
              + " ("
              + f
              + " is missing); start one with "
              + "bin/testcluster up, or pass the --name/--root it was started with",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
    try {
      int count = Integer.parseInt(required(p, "corral.command.count", f));
      List<String> cmd = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        cmd.add(required(p, "corral.command." + i, f));
      }
      List<String> options = new ArrayList<>();
      int optionCount = Integer.parseInt(p.getProperty("daemon.option.count", "0"));
      for (int i = 0; i < optionCount; i++) {
        options.add(required(p, "daemon.option." + i, f));
      }
      List<ClusterNode> nodes = new ArrayList<>();
      Map<String, DaemonPid> daemons = new LinkedHashMap<>();
      Map<String, Set<String>> ids = new LinkedHashMap<>();
      for (String n :
          Arrays.stream(required(p, "nodes", f).split(",")).filter(s -> !s.isBlank()).toList()) {
        nodes.add(
            new ClusterNode(
                n,
                Role.ofWord(required(p, "node." + n + ".role", f)),
                required(p, "node." + n + ".address", f)));
        String pid = p.getProperty("node." + n + ".pid");
        if (pid != null) {
          daemons.put(n, DaemonPid.parse(pid));
        }
        ids.put(
            n,
            Arrays.stream(p.getProperty("node." + n + ".ids", "").split(","))
                .filter(s -> !s.isBlank())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
      }
      return new ClusterState(
          required(p, "name", f),
          Subnet.parse(required(p, "subnet", f)),
          new CorralCommand(cmd),
          options,
          Duration.parse(required(p, "ready.timeout", f)),
          nodes,
          daemons,
          ids);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          f
              + " is damaged ("
              + e.getMessage()
              + "); remove the cluster with "
              + "bin/testcluster down, which does not need it",
          e);
    }
  }

  private static String required(Properties p, String key, Path f) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalStateException("missing key " + key + " in " + f);
    }
    return v;
  }
}
