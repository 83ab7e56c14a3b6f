package io.corral.testcluster.cluster;

import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Namespaces;
import io.corral.testcluster.net.NetNames;
import io.corral.testcluster.net.Shell;
import io.corral.testcluster.net.Subnet;
import io.corral.testcluster.net.VirtualLan;
import io.corral.worker.exec.process.ProcessBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Corral nodes on this machine, each a daemon in its own network namespace on a virtual LAN ({@link
 * VirtualLan}), with fault injection (kill -9, restart, partition). Usable from JUnit and, through
 * {@link TestClusterMain}, from the shell: its state lives in {@code <root>/state.properties}, so
 * later invocations find the daemons.
 */
public final class TestCluster implements AutoCloseable {

  /** How long {@link #exec} waits for a command by default. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Set to true ({@code -Dcorral.testcluster.keep=true}) to keep work dirs and logs after {@link
   * #close()}.
   */
  public static final String KEEP_PROPERTY = "corral.testcluster.keep";

  public static final Path DEFAULT_PARENT = Path.of("/tmp/corral-testcluster");
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(20);

  private final String name;
  private final Path root;
  private final Subnet subnet;
  private final CorralCommand corral;
  private final List<String> daemonOptions;
  private final Duration readyTimeout;
  private final boolean keepWorkDir;
  private final boolean downOnExit;
  private final VirtualLan lan;
  private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
  private final Map<String, DaemonPid> daemons = new ConcurrentHashMap<>();

  /**
   * Per node, every swarm node id it has had (a node that leaves and joins again gets a new one);
   * copy on write.
   */
  private final Map<String, Set<String>> nodeIds = new ConcurrentHashMap<>();

  private volatile Teardown leftovers = Teardown.NONE;
  private Thread exitHook;

  private TestCluster(
      String name,
      Path root,
      Subnet subnet,
      CorralCommand corral,
      List<String> daemonOptions,
      Duration readyTimeout,
      List<ClusterNode> nodes,
      boolean keepWorkDir,
      boolean downOnExit) {
    this.daemonOptions = List.copyOf(daemonOptions);
    this.name = name;
    this.root = root.toAbsolutePath();
    this.subnet = subnet;
    this.corral = corral;
    this.readyTimeout = readyTimeout;
    this.keepWorkDir = keepWorkDir;
    this.downOnExit = downOnExit;
    this.lan = new VirtualLan(name, subnet);
    nodes.forEach(n -> this.nodes.put(n.name(), n));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The cluster a previous {@link #up()} (maybe in another process) left in {@code root}. */
  public static TestCluster attach(Path root) {
    ClusterState s = ClusterState.load(root);
    TestCluster c =
        new TestCluster(
            s.name(),
            root,
            s.subnet(),
            s.corral(),
            s.daemonOptions(),
            s.readyTimeout(),
            s.nodes(),
            false,
            false);
    c.daemons.putAll(s.daemons());
    c.nodeIds.putAll(s.nodeIds());
    return c;
  }

  /** {@code /tmp/corral-testcluster/<name>}. */
  public static Path defaultRoot(String name) {
    return DEFAULT_PARENT.resolve(new NetNames(name).cluster());
  }

  /** What {@link #down(Keep)} leaves of the work dir. */
  public enum Keep {
    /** Delete it all (the JUnit default). */
    NOTHING,
    /**
     * Keep the daemons' logs, moved to {@code <root>.logs/<node>.log} until the next up
     * (bin/testcluster down).
     */
    LOGS,
    /** Keep the work dir as it is: logs, data, state. */
    EVERYTHING;

    static Keep files(boolean keepFiles) {
      return keepFiles ? EVERYTHING : NOTHING;
    }
  }

  /**
   * Removes cluster {@code name}: kills its daemons, deletes its namespaces and, unless {@code
   * keepFiles}, its work dir. Works from the state file when there is one, and from the namespace
   * names alone when there is not (e.g. after a crashed run). Idempotent.
   */
  public static Teardown down(String name, Path root, boolean keepFiles) {
    return down(name, root, Keep.files(keepFiles));
  }

  /**
   * Removes cluster {@code name} as {@link #down(Keep)} does, from the state file in {@code root}
   * when there is one, and otherwise from what the names identify (its namespaces; node ids and
   * task state in the node dirs).
   */
  public static Teardown down(String name, Path root, Keep keep) {
    if (ClusterState.exists(root)) {
      TestCluster c = null;
      try {
        c = attach(root);
      } catch (IllegalStateException e) {
        // A damaged state file: fall through and remove what the names alone identify.
      }
      if (c != null) {
        return c.down(keep);
      }
    }
    VirtualLan lan = new VirtualLan(name, Subnet.DEFAULT);
    List<String> namespaces = lan.existingNamespaces();
    lan.removeAll(); // first: it kills the daemons, which could otherwise start containers again
    List<String> dirs = nodeDirs(root);
    Map<String, Integer> processes = new LinkedHashMap<>();
    Set<String> ids = new LinkedHashSet<>();
    for (String n : dirs) {
      NodeFiles f = NodeFiles.of(root, n);
      processes.put(n, ProcessBackend.killAll(f.taskStateDir()));
      f.nodeId().ifPresent(ids::add);
    }
    EngineLeftovers.Removed engine = EngineLeftovers.remove(ids);
    if (keep != Keep.EVERYTHING && ClusterState.exists(root)) {
      if (keep == Keep.LOGS) {
        DaemonLogs.keep(root, dirs);
      }
      deleteTree(root);
    }
    List<String> removedNamespaces = new ArrayList<>(namespaces);
    removedNamespaces.addAll(Namespaces.deleteUnusedTaskNamespaces());
    return new Teardown(
        List.of(),
        processes,
        engine.containers(),
        engine.volumes(),
        engine.networks(),
        removedNamespaces);
  }

  /** Names of the node dirs in {@code root} (those with a data dir or a log). */
  private static List<String> nodeDirs(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(
              d -> Files.isDirectory(d.resolve("data")) || Files.exists(d.resolve("daemon.log")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /** Creates the LAN, starts every daemon, waits until each answers, and forms the swarm. */
  public TestCluster up() {
    startWithoutForming();
    try {
      SwarmFormer.form(this);
      recordNodeIds();
    } catch (RuntimeException e) {
      throw failed(e);
    }
    return this;
  }

  /**
   * Creates the LAN, starts every daemon and waits until each answers; forming the swarm is left to
   * the caller.
   */
  public synchronized TestCluster startWithoutForming() {
    clearLeftovers();
    try {
      Files.createDirectories(root);
      saveState(); // first, so that down() can always find what this run creates
      installExitHook();
      nodes.keySet().forEach(n -> files(n).create());
      lan.create();
      for (ClusterNode n : nodes.values()) {
        String address = lan.addNode(n.name());
        if (!address.equals(n.address())) {
          throw new IllegalStateException(
              "the LAN gave "
                  + n.name()
                  + " address "
                  + address
                  + ", not the planned "
                  + n.address());
        }
      }
      for (ClusterNode n : nodes.values()) {
        daemons.put(
            n.name(),
            Daemons.start(namespace(n.name()), corral, n, files(n.name()), daemonOptions));
        saveState();
      }
      for (ClusterNode n : nodes.values()) {
        Daemons.awaitReady(
            namespace(n.name()), corral, n, files(n.name()), daemons.get(n.name()), readyTimeout);
      }
    } catch (IOException e) {
      throw failed(new UncheckedIOException("cannot create " + root, e));
    } catch (RuntimeException e) {
      throw failed(e);
    }
    return this;
  }

  /**
   * Refuses to replace a running cluster; removes what a dead one (or a crashed run) left: its
   * namespaces, task processes and engine objects (see {@link #leftovers()}), and the logs kept of
   * the last one.
   */
  private void clearLeftovers() {
    Teardown removed = Teardown.NONE;
    if (ClusterState.exists(root)) {
      ClusterState old;
      try {
        old = ClusterState.load(root);
      } catch (IllegalStateException e) {
        old = null;
      }
      if (old != null) {
        List<String> running =
            old.daemons().entrySet().stream()
                .filter(e -> e.getValue().isRunning())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (!running.isEmpty()) {
          throw new IllegalStateException(
              "test cluster "
                  + old.name()
                  + " is already up in "
                  + root
                  + " (daemons of "
                  + running
                  + " are running); use it, or remove it first: bin/testcluster down --name "
                  + old.name());
        }
      }
      removed = down(old != null ? old.name() : name, root, Keep.NOTHING);
      deleteTree(root);
    } else if (Files.isDirectory(root) && !isEmpty(root)) {
      throw new IllegalStateException(
          root
              + " exists and holds no test cluster (no "
              + ClusterState.FILE
              + "); choose another root dir or remove it");
    }
    DaemonLogs.clear(root);
    List<String> stray = lan.existingNamespaces();
    lan.removeAll();
    leftovers = stray.isEmpty() ? removed : removed.withNamespaces(stray);
  }

  /**
   * What {@link #up()} removed of an earlier cluster in the same root or of the same name that was
   * not taken down.
   */
  public Teardown leftovers() {
    return leftovers;
  }

  private RuntimeException failed(RuntimeException cause) {
    try {
      down(true);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
    return new IllegalStateException(
        "test cluster "
            + name
            + " did not come up (its daemons were stopped and its "
            + "namespaces removed; logs are kept in "
            + root
            + "): "
            + cause.getMessage(),
        cause);
  }

  public String name() {
    return name;
  }

  public Path root() {
    return root;
  }

  public Subnet subnet() {
    return subnet;
  }

  public CorralCommand corralCommand() {
    return corral;
  }

  /** Every node's name: managers m1…mN, then workers w1…wM. */
  public List<String> nodes() {
    return List.copyOf(nodes.keySet());
  }

  public List<String> managers() {
    return names(Role.MANAGER);
  }

  public List<String> workers() {
    return names(Role.WORKER);
  }

  private List<String> names(Role role) {
    return nodes.values().stream().filter(n -> n.role() == role).map(ClusterNode::name).toList();
  }

  public ClusterNode node(String node) {
    ClusterNode n = nodes.get(node);
    if (n == null) {
      throw new IllegalArgumentException(
          "no node " + node + " in test cluster " + name + "; nodes are " + nodes.keySet());
    }
    return n;
  }

  public String address(String node) {
    return node(node).address();
  }

  public NodeFiles files(String node) {
    return NodeFiles.of(root, node(node).name());
  }

  public Path socket(String node) {
    return files(node).socket();
  }

  public Path logOf(String node) {
    return files(node).log();
  }

  public Path dataDir(String node) {
    return files(node).dataDir();
  }

  /**
   * Where the node's daemon log is kept after {@code down(Keep.LOGS)}: {@code
   * <root>.logs/<node>.log}.
   */
  public Path keptLogOf(String node) {
    return DaemonLogs.kept(root, node(node).name());
  }

  /**
   * Every swarm node id the cluster's nodes have had, as far as recorded (see {@link
   * #recordNodeIds()}).
   */
  public Set<String> nodeIds() {
    Set<String> all = new LinkedHashSet<>();
    nodes.keySet().forEach(n -> all.addAll(nodeIds.getOrDefault(n, Set.of())));
    return all;
  }

  /**
   * Records the node id each daemon saved in its data dir, when it is new, in the state file:
   * down() removes the containers labelled with every id a node has had, even once its data dir is
   * gone or it left the swarm. Runs after every {@link #exec}, so that joins through it are seen.
   */
  public void recordNodeIds() {
    nodes.keySet().forEach(this::recordNodeId);
  }

  private void recordNodeId(String node) {
    Optional<String> id = files(node).nodeId();
    if (id.isEmpty() || nodeIds.getOrDefault(node, Set.of()).contains(id.get())) {
      return;
    }
    synchronized (this) {
      Set<String> ids = new LinkedHashSet<>(nodeIds.getOrDefault(node, Set.of()));
      if (ids.add(id.get())) {
        nodeIds.put(node, Collections.unmodifiableSet(ids));
        if (ClusterState.exists(root)) {
          saveState();
        }
      }
    }
  }

  /**
   * The recorded node ids and those in the data dirs now; reads only, so the exit hook may call it.
   */
  private Set<String> knownNodeIds() {
    Set<String> all = nodeIds();
    nodes.keySet().forEach(n -> files(n).nodeId().ifPresent(all::add));
    return all;
  }

  /** The network namespace the node runs in. */
  public String namespace(String node) {
    return lan.namespace(node(node).name());
  }

  /** The daemon's pid, if one was started and not killed through this harness. */
  public OptionalLong pid(String node) {
    DaemonPid d = daemons.get(node(node).name());
    return d == null ? OptionalLong.empty() : OptionalLong.of(d.pid());
  }

  public boolean isRunning(String node) {
    DaemonPid d = daemons.get(node(node).name());
    return d != null && d.isRunning();
  }

  /**
   * The command line that runs {@code command} inside the node's namespace; a leading {@code
   * corral} becomes the corral command talking to the node's daemon ({@code --socket <node
   * socket>}).
   */
  public List<String> commandLine(String node, List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command to run on " + node);
    }
    List<String> actual =
        command.get(0).equals("corral")
            ? corral.client(socket(node), command.subList(1, command.size()))
            : command;
    return lan.inside(node(node).name(), actual);
  }

  /**
   * Runs {@code command} inside the node's namespace (see {@link #commandLine}); waits at most 2
   * minutes.
   */
  public CommandResult exec(String node, String... command) {
    return exec(node, COMMAND_TIMEOUT, List.of(command));
  }

  public CommandResult exec(String node, Duration timeout, List<String> command) {
    CommandResult r = Shell.run(commandLine(node, command), timeout);
    recordNodeId(node);
    return r;
  }

  /** {@code corral ARGS} against the node's daemon. */
  public CommandResult corral(String node, String... args) {
    List<String> command = new ArrayList<>(List.of("corral"));
    command.addAll(List.of(args));
    return exec(node, COMMAND_TIMEOUT, command);
  }

  /** kill -9 of the node's daemon and its process group. Idempotent. */
  public synchronized void kill(String node) {
    recordNodeId(node);
    DaemonPid d = daemons.remove(node(node).name());
    if (d != null) {
      Daemons.kill(d, KILL_TIMEOUT);
      saveState();
    }
  }

  /**
   * Kills the node's daemon if it runs, starts it again on the same data dir, and waits until it
   * answers.
   */
  public synchronized void restart(String node) {
    ClusterNode n = node(node);
    kill(node);
    DaemonPid d = Daemons.start(namespace(node), corral, n, files(node), daemonOptions);
    daemons.put(node, d);
    saveState();
    Daemons.awaitReady(namespace(node), corral, n, files(node), d, readyTimeout);
  }

  /** Cuts the node off the LAN, both ways. */
  public void partition(String node) {
    lan.partition(node(node).name());
  }

  public void heal(String node) {
    lan.heal(node(node).name());
  }

  public boolean isPartitioned(String node) {
    return lan.isPartitioned(node(node).name());
  }

  /**
   * Takes the cluster down ({@link #down(Keep)}); deletes the work dir unless the builder said to
   * keep it.
   */
  @Override
  public void close() {
    down(keepWorkDir);
  }

  public Teardown down() {
    return down(keepWorkDir);
  }

  /**
   * Takes the cluster down ({@link #down(Keep)}); deletes the work dir unless {@code keepFiles}.
   */
  public Teardown down(boolean keepFiles) {
    return down(Keep.files(keepFiles));
  }

  /**
   * Kills every daemon, then every task process of its nodes (process executor), removes the
   * engine's containers, volumes and networks labelled with any id its nodes have had (docker
   * executor; whether their daemons still ran or not), deletes the namespaces, and of the work dir
   * keeps what {@code keep} says. Idempotent.
   */
  public synchronized Teardown down(Keep keep) {
    removeExitHook();
    return tearDown(keep);
  }

  /** The work of {@link #down(Keep)}; takes no lock of this object, for the exit hook. */
  private Teardown tearDown(Keep keep) {
    RuntimeException failure = null;
    List<String> killed = new ArrayList<>();
    for (String n : nodes.keySet()) {
      DaemonPid d = daemons.get(n);
      try {
        if (d != null && d.isRunning()) {
          killed.add(n);
          Daemons.kill(d, KILL_TIMEOUT);
        }
      } catch (RuntimeException ex) {
        failure = ex;
      }
    }
    daemons.clear();
    // With the daemons gone nothing starts tasks again; task processes and containers outlive their
    // daemon.
    Map<String, Integer> processes = new LinkedHashMap<>();
    nodes.keySet().forEach(n -> processes.put(n, ProcessBackend.killAll(files(n).taskStateDir())));
    EngineLeftovers.Removed engine = EngineLeftovers.Removed.NONE;
    try {
      engine = EngineLeftovers.remove(knownNodeIds());
    } catch (RuntimeException ex) {
      failure = ex;
    }
    List<String> namespaces = lan.existingNamespaces();
    lan.removeAll(); // also kills whatever else still runs inside the namespaces
    if (ClusterState.exists(root)) {
      switch (keep) {
        case EVERYTHING -> saveState();
        case LOGS -> {
          DaemonLogs.keep(root, nodes());
          deleteTree(root);
        }
        case NOTHING -> deleteTree(root);
      }
    }
    if (failure != null) {
      throw failure;
    }
    List<String> removedNamespaces = new ArrayList<>(namespaces);
    removedNamespaces.addAll(Namespaces.deleteUnusedTaskNamespaces());
    return new Teardown(
        killed,
        processes,
        engine.containers(),
        engine.volumes(),
        engine.networks(),
        removedNamespaces);
  }

  private void saveState() {
    new ClusterState(
            name,
            subnet,
            corral,
            daemonOptions,
            readyTimeout,
            List.copyOf(nodes.values()),
            daemons,
            nodeIds)
        .save(root);
  }

  private synchronized void installExitHook() {
    if (downOnExit && exitHook == null) {
      // A test that forgets close(), or a JVM that exits early, must not leave daemons and
      // namespaces behind.
      // It takes no lock of this object: the thread holding it might be the one that called
      // System.exit.
      exitHook =
          new Thread(
              () -> {
                try {
                  tearDown(Keep.files(keepWorkDir));
                } catch (RuntimeException e) {
                  System.err.println(
                      "testcluster "
                          + name
                          + ": cleaning up at exit failed: "
                          + e.getMessage()
                          + "; run bin/testcluster down --name "
                          + name);
                }
              },
              "testcluster-down-" + name);
      Runtime.getRuntime().addShutdownHook(exitHook);
    }
  }

  private synchronized void removeExitHook() {
    if (exitHook != null && Thread.currentThread() != exitHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down already; the hook runs or has run.
      }
    }
    exitHook = null;
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + "; remove it by hand (rm -rf)", e);
    }
  }

  /** Options of a test cluster; {@link #up()} or {@link #startWithoutForming()} starts it. */
  public static final class Builder {
    private int managers = 1;
    private int workers = 0;
    private String name = "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private Path root;
    private CorralCommand corral;
    private List<String> daemonOptions = List.of();
    private Duration readyTimeout = Duration.ofSeconds(90);
    private Subnet subnet = Subnet.DEFAULT;
    private boolean keepWorkDir = Boolean.getBoolean(KEEP_PROPERTY);
    private boolean downOnExit = true;

    private Builder() {}

    public Builder managers(int managers) {
      this.managers = managers;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /**
     * The cluster's name (namespaces are crl-NAME-…); by default a random one, so tests never
     * collide.
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Default: /tmp/corral-testcluster/NAME. */
    public Builder rootDir(Path root) {
      this.root = root;
      return this;
    }

    /** Default: {@link CorralCommand#fromClasspath()}. */
    public Builder corralCommand(CorralCommand corral) {
      this.corral = corral;
      return this;
    }

    public Builder corralCommand(List<String> prefix) {
      return corralCommand(new CorralCommand(prefix));
    }

    /** Extra options for every node's {@code corral daemon}, e.g. {@code --executor process}. */
    public Builder daemonOptions(String... options) {
      this.daemonOptions = List.of(options);
      return this;
    }

    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = readyTimeout;
      return this;
    }

    /** Default: 10.77.0.0/24; node i gets host 10 + i. */
    public Builder subnet(String cidr) {
      this.subnet = Subnet.parse(cidr);
      return this;
    }

    /**
     * Keep the work dir (logs, data) on close; default: the system property
     * corral.testcluster.keep.
     */
    public Builder keepWorkDir(boolean keep) {
      this.keepWorkDir = keep;
      return this;
    }

    /** Take the cluster down when the JVM exits (default true; the command line turns it off). */
    public Builder downOnExit(boolean downOnExit) {
      this.downOnExit = downOnExit;
      return this;
    }

    public TestCluster build() {
      if (managers < 1) {
        throw new IllegalArgumentException("a cluster needs at least one manager, not " + managers);
      }
      if (workers < 0) {
        throw new IllegalArgumentException("workers must be 0 or more, not " + workers);
      }
      new NetNames(name); // validates the name before anything is created
      List<ClusterNode> planned = new ArrayList<>();
      for (int i = 1; i <= managers; i++) {
        planned.add(new ClusterNode("m" + i, Role.MANAGER, subnet.host(VirtualLan.FIRST_HOST + i)));
      }
      for (int i = 1; i <= workers; i++) {
        planned.add(
            new ClusterNode(
                "w" + i, Role.WORKER, subnet.host(VirtualLan.FIRST_HOST + managers + i)));
      }
      return new TestCluster(
          name,
          root != null ? root : defaultRoot(name),
          subnet,
          corral != null ? corral : CorralCommand.fromClasspath(),
          daemonOptions,
          readyTimeout,
          planned,
          keepWorkDir,
          downOnExit);
    }

    public TestCluster up() {
      return build().up();
    }

    public TestCluster startWithoutForming() {
      return build().startWithoutForming();
    }
  }
}
