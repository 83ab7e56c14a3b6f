package io.corral.cli;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.corral.api.Annotations;
import io.corral.api.CAConfig;
import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.ContainerSpec;
import io.corral.api.ControlGrpc;
import io.corral.api.CreateServiceRequest;
import io.corral.api.CreateServiceResponse;
import io.corral.api.DispatcherConfig;
import io.corral.api.EngineDescription;
import io.corral.api.GetNodeRequest;
import io.corral.api.GetNodeResponse;
import io.corral.api.GetServiceRequest;
import io.corral.api.GetServiceResponse;
import io.corral.api.GetTaskRequest;
import io.corral.api.GetTaskResponse;
import io.corral.api.InfoRequest;
import io.corral.api.InfoResponse;
import io.corral.api.JoinTokens;
import io.corral.api.ListClustersRequest;
import io.corral.api.ListClustersResponse;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListNodesResponse;
import io.corral.api.ListServiceStatusesRequest;
import io.corral.api.ListServiceStatusesResponse;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListServicesResponse;
import io.corral.api.ListTasksRequest;
import io.corral.api.ListTasksResponse;
import io.corral.api.LocalSwarmGrpc;
import io.corral.api.LogMessage;
import io.corral.api.ManagerStatus;
import io.corral.api.Meta;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.OrchestrationConfig;
import io.corral.api.Platform;
import io.corral.api.PromoteServiceRequest;
import io.corral.api.PromoteServiceResponse;
import io.corral.api.RaftMemberStatus;
import io.corral.api.RemoveNodeRequest;
import io.corral.api.RemoveNodeResponse;
import io.corral.api.RemoveServiceRequest;
import io.corral.api.RemoveServiceResponse;
import io.corral.api.ReplicatedService;
import io.corral.api.Resources;
import io.corral.api.RootCA;
import io.corral.api.Service;
import io.corral.api.ServiceLogsRequest;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.api.UpdateClusterRequest;
import io.corral.api.UpdateClusterResponse;
import io.corral.api.UpdateNodeRequest;
import io.corral.api.UpdateNodeResponse;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.UpdateServiceResponse;
import io.corral.api.UpdateStatus;
import io.corral.manager.controlapi.References;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * An in-memory stand-in for the local daemon, for CLI tests: the Control calls the node, service
 * and swarm commands make and LocalSwarm.Info, served over a unix socket the way the real daemon
 * serves them (grpc-java's in-process transport is not in the build). References in requests are
 * resolved with the manager's own rules ({@link References}). It records every request and can be
 * told to fail calls with a given status.
 */
public final class FakeDaemon implements AutoCloseable {

  /** When the nodes built by {@link #worker}/{@link #manager} joined. */
  public static final Timestamp JOINED =
      Timestamp.newBuilder()
          .setSeconds(1_704_164_645L) // 2024-01-02T03:04:05Z
          .setNanos(123_456_789)
          .build();

  /** The version the node builders give a node. */
  public static final long NODE_VERSION = 7;

  /** The version of {@link #defaultCluster()}. */
  public static final long CLUSTER_VERSION = 11;

  public static final String CLUSTER_ID = "clusterid0000000000000000";
  public static final String WORKER_TOKEN = "SWMTKN-1-abc-worker0";
  public static final String MANAGER_TOKEN = "SWMTKN-1-abc-manager0";

  /** What LocalSwarm.Version answers. */
  public static final io.corral.api.ServerVersion SERVER_VERSION =
      io.corral.api.ServerVersion.newBuilder()
          .setVersion("0.9.0")
          .setApiVersion("1.0")
          .setJavaVersion("17.0.15")
          .setJavaVm("OpenJDK 64-Bit Server VM (Debian)")
          .setOs("linux")
          .setArch("x86_64")
          .setKernelVersion("6.1.0-28-amd64")
          .build();

  /** One request the daemon received: the gRPC method name ({@code ListNodes}) and the request. */
  public record Call(String method, Message request) {}

  /** What one CLI run returned and printed. */
  public record Result(int exitCode, String out, String err) {
    public List<String> outLines() {
      return out.lines().toList();
    }
  }

  private record Failure(String method, Predicate<Message> when, Status status) {}

  private final Path socket;
  private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
  private final Server server;

  // Guarded by this.
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<Cluster> clusters = new ArrayList<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private final Map<String, Service> services = new LinkedHashMap<>();
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, io.corral.api.Network> networks = new LinkedHashMap<>();
  private long networkCounter;
  private java.io.InputStream stdin = new java.io.ByteArrayInputStream(new byte[0]);
  private final Map<String, ListServiceStatusesResponse.ServiceStatus> statuses =
      new LinkedHashMap<>();
  private final Deque<List<Task>> evolution = new ArrayDeque<>();
  private final Map<String, Deque<UpdateStatus>> updateEvolution = new LinkedHashMap<>();
  private final List<LogMessage> logs = new ArrayList<>();
  private final Deque<String> nextServiceIds = new ArrayDeque<>();
  private com.google.protobuf.Duration monitor =
      com.google.protobuf.Duration.newBuilder().setNanos(50_000_000).build();
  private long serviceCounter;
  private Clock clock;
  private boolean terminal;
  private String selfId = "";
  private String nodeAddr = "";
  private int rotations;
  private InfoResponse info;

  private FakeDaemon(Path socket) throws IOException {
    this.socket = socket;
    this.server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .directExecutor()
            .addService(new Control())
            .addService(new Local())
            .build()
            .start();
  }

  /**
   * A daemon listening on a socket in {@code dir} (keep the path short: unix socket paths max out
   * at 107 bytes).
   */
  public static FakeDaemon start(Path dir) throws IOException {
    return new FakeDaemon(dir.resolve("corral.sock"));
  }

  public Path socket() {
    return socket;
  }

  // ---------------------------------------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------------------------------------

  /** Stores nodes (replacing those with the same id). */
  public synchronized FakeDaemon add(Node... added) {
    for (Node n : added) {
      nodes.put(n.getId(), n);
    }
    return this;
  }

  /** The node stored under {@code id} now, or null. */
  public synchronized Node node(String id) {
    return nodes.get(id);
  }

  /** Who LocalSwarm.Info says this node is. */
  public synchronized FakeDaemon self(String nodeId, String addr) {
    this.selfId = nodeId;
    this.nodeAddr = addr;
    return this;
  }

  /**
   * What LocalSwarm.Info answers from now on, instead of an active manager named by {@link #self}.
   */
  public synchronized FakeDaemon info(InfoResponse answer) {
    this.info = answer;
    return this;
  }

  /** Stores services (replacing those with the same id). */
  public synchronized FakeDaemon add(Service... added) {
    for (Service sv : added) {
      services.put(sv.getId(), sv);
    }
    return this;
  }

  /** Stores tasks (replacing those with the same id). */
  public synchronized FakeDaemon add(Task... added) {
    for (Task t : added) {
      tasks.put(t.getId(), t);
    }
    return this;
  }

  /** Stores networks (replacing those with the same id). */
  public synchronized FakeDaemon add(io.corral.api.Network... added) {
    for (io.corral.api.Network n : added) {
      networks.put(n.getId(), n);
    }
    return this;
  }

  /** The networks stored now, in creation order. */
  public synchronized List<io.corral.api.Network> networks() {
    return List.copyOf(networks.values());
  }

  /** What the next command reads from its standard input (a confirmation). */
  public synchronized FakeDaemon stdin(String text) {
    this.stdin =
        new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return this;
  }

  /** The service stored under {@code id} now, or null. */
  public synchronized Service service(String id) {
    return services.get(id);
  }

  /**
   * Makes ListServiceStatuses answer {@code status} for its service (else counts come from the
   * tasks).
   */
  public synchronized FakeDaemon status(
      String serviceId, long desired, long running, long completed) {
    statuses.put(
        serviceId,
        ListServiceStatusesResponse.ServiceStatus.newBuilder()
            .setServiceId(serviceId)
            .setDesiredTasks(desired)
            .setRunningTasks(running)
            .setCompletedTasks(completed)
            .build());
    return this;
  }

  /** The id CreateService gives the next service (else svc0000…1, svc0000…2, …). */
  public synchronized FakeDaemon nextServiceId(String id) {
    nextServiceIds.add(id);
    return this;
  }

  /**
   * Scripts how tasks evolve: each ListTasks call for up-to-date tasks first stores the next of
   * {@code snapshots} (the last one stays), so a command polling for convergence sees the tasks
   * move on one call at a time.
   */
  @SafeVarargs
  public final synchronized FakeDaemon evolve(List<Task>... snapshots) {
    evolution.addAll(List.of(snapshots));
    return this;
  }

  /**
   * Scripts how a service's update goes, as {@link #evolve} does for tasks: each GetService of
   * {@code serviceId} with defaults (the progress poll) first stores the next of {@code states} as
   * its update status (the last one stays).
   */
  public synchronized FakeDaemon evolveUpdate(String serviceId, UpdateStatus... states) {
    updateEvolution.computeIfAbsent(serviceId, k -> new ArrayDeque<>()).addAll(List.of(states));
    return this;
  }

  /**
   * The update monitor period this daemon fills into specs that have none (docker's default is 5 s;
   * tests keep the stability wait short). Null fills nothing.
   */
  public synchronized FakeDaemon monitor(java.time.Duration period) {
    this.monitor =
        period == null
            ? null
            : com.google.protobuf.Duration.newBuilder()
                .setSeconds(period.getSeconds())
                .setNanos(period.getNano())
                .build();
    return this;
  }

  /** Log messages ServiceLogs streams (those matching the request's selector). */
  public synchronized FakeDaemon log(LogMessage... messages) {
    logs.addAll(List.of(messages));
    return this;
  }

  /** The clock the CLI runs with (default: the system's). */
  public synchronized FakeDaemon clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Whether the CLI believes its output is a terminal (default: no). */
  public synchronized FakeDaemon terminal(boolean terminal) {
    this.terminal = terminal;
    return this;
  }

  /** Makes {@code cluster} the only cluster object (none if null). */
  public synchronized FakeDaemon cluster(Cluster cluster) {
    clusters.clear();
    if (cluster != null) {
      clusters.add(cluster);
    }
    return this;
  }

  /** The only cluster object now. */
  public synchronized Cluster cluster() {
    return clusters.get(0);
  }

  /** Fails every call of {@code method} (e.g. {@code RemoveNode}) with {@code status}. */
  public FakeDaemon fail(String method, Status status) {
    return fail(method, r -> true, status);
  }

  /** Fails the calls of {@code method} whose request matches {@code when} with {@code status}. */
  public synchronized FakeDaemon fail(String method, Predicate<Message> when, Status status) {
    failures.add(new Failure(method, when, status));
    return this;
  }

  // ---------------------------------------------------------------------------------------------------------
  // What was asked
  // ---------------------------------------------------------------------------------------------------------

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The methods called, in order. */
  public synchronized List<String> methods() {
    return calls.stream().map(Call::method).toList();
  }

  /** The requests of one type received, in order. */
  public synchronized <T extends Message> List<T> requests(Class<T> type) {
    return calls.stream().map(Call::request).filter(type::isInstance).map(type::cast).toList();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Running the CLI
  // ---------------------------------------------------------------------------------------------------------

  /**
   * Runs {@code corral args...} against this daemon, as {@link Main#main} would but without
   * exiting.
   */
  public Result run(String... args) {
    Main main = new Main(ignored -> DaemonChannels.open(socket.toString()));
    synchronized (this) {
      main.terminal(terminal);
      main.stdin(stdin);
      if (clock != null) {
        main.clock(clock);
      }
    }
    try {
      CommandLine cmd = Main.commandLine(main);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cmd.setOut(new PrintWriter(out));
      cmd.setErr(new PrintWriter(err));
      int code = cmd.execute(args);
      return new Result(code, out.toString(), err.toString());
    } finally {
      main.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Fixtures
  // ---------------------------------------------------------------------------------------------------------

  /**
   * A ready, active worker with engine 24.0.7 on linux/x86_64, 4 CPUs and 8 GiB, at version {@link
   * #NODE_VERSION}.
   */
  public static Node worker(String id, String hostname, String addr) {
    return Node.newBuilder()
        .setId(id)
        .setMeta(
            Meta.newBuilder().setVersion(NODE_VERSION).setCreatedAt(JOINED).setUpdatedAt(JOINED))
        .setSpec(
            NodeSpec.newBuilder()
                .setDesiredRole(NodeRole.WORKER)
                .setMembership(NodeSpec.Membership.ACCEPTED)
                .setAvailability(NodeSpec.Availability.ACTIVE))
        .setDescription(
            NodeDescription.newBuilder()
                .setHostname(hostname)
                .setPlatform(Platform.newBuilder().setArchitecture("x86_64").setOs("linux"))
                .setResources(
                    Resources.newBuilder().setNanoCpus(4_000_000_000L).setMemoryBytes(8L << 30))
                .setEngine(EngineDescription.newBuilder().setEngineVersion("24.0.7")))
        .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.READY).setAddr(addr))
        .setRole(NodeRole.WORKER)
        .build();
  }

  /**
   * {@link #worker} as a reachable manager (the leader if {@code leader}) with API address
   * addr:2377.
   */
  public static Node manager(String id, String hostname, String addr, boolean leader) {
    Node w = worker(id, hostname, addr);
    return w.toBuilder()
        .setSpec(w.getSpec().toBuilder().setDesiredRole(NodeRole.MANAGER))
        .setRole(NodeRole.MANAGER)
        .setManagerStatus(
            ManagerStatus.newBuilder()
                .setRaftId(1)
                .setAddr(addr + ":4789")
                .setApiAddr(addr + ":2377")
                .setLeader(leader)
                .setReachability(RaftMemberStatus.Reachability.REACHABLE))
        .build();
  }

  /**
   * A replicated service of {@code replicas} tasks running {@code image}, at version {@link
   * #NODE_VERSION}.
   */
  public static Service service(String id, String name, String image, long replicas) {
    return Service.newBuilder()
        .setId(id)
        .setMeta(
            Meta.newBuilder().setVersion(NODE_VERSION).setCreatedAt(JOINED).setUpdatedAt(JOINED))
        .setSpec(
            ServiceSpec.newBuilder()
                .setAnnotations(Annotations.newBuilder().setName(name))
                .setTask(
                    TaskSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage(image)))
                .setReplicated(ReplicatedService.newBuilder().setReplicas(replicas)))
        .build();
  }

  /**
   * A task of {@code serviceId} in {@code slot} on {@code nodeId} (empty = unassigned), created at
   * {@code created} and in {@code state} since then.
   */
  public static Task task(
      String id,
      String serviceId,
      long slot,
      String nodeId,
      TaskState state,
      TaskState desired,
      Timestamp created) {
    return Task.newBuilder()
        .setId(id)
        .setMeta(Meta.newBuilder().setVersion(1).setCreatedAt(created).setUpdatedAt(created))
        .setServiceId(serviceId)
        .setSlot(slot)
        .setNodeId(nodeId)
        .setDesiredState(desired)
        .setStatus(TaskStatus.newBuilder().setState(state).setTimestamp(created))
        .build();
  }

  /**
   * An allocated overlay network {@code name} on {@code subnet} (a /24) with gateway .1 and VNI
   * {@code vni}, created at {@link #JOINED}.
   */
  public static io.corral.api.Network network(String id, String name, String subnet, int vni) {
    String base = subnet.substring(0, subnet.lastIndexOf('.'));
    return io.corral.api.Network.newBuilder()
        .setId(id)
        .setMeta(Meta.newBuilder().setVersion(1).setCreatedAt(JOINED).setUpdatedAt(JOINED))
        .setSpec(
            io.corral.api.NetworkSpec.newBuilder()
                .setAnnotations(Annotations.newBuilder().setName(name))
                .setDriverConfig(io.corral.api.Driver.newBuilder().setName("overlay")))
        .setDriverState(
            io.corral.api.Driver.newBuilder()
                .setName("overlay")
                .putOptions(
                    "com.docker.network.driver.overlay.vxlanid_list", Integer.toString(vni)))
        .setIpam(
            io.corral.api.IPAMOptions.newBuilder()
                .setDriver(io.corral.api.Driver.newBuilder().setName("default"))
                .addConfigs(
                    io.corral.api.IPAMConfig.newBuilder()
                        .setSubnet(subnet)
                        .setGateway(base + ".1")))
        .build();
  }

  /**
   * A cluster "default" at {@link #CLUSTER_VERSION} with docker's defaults and the two join tokens.
   */
  public static Cluster defaultCluster() {
    return Cluster.newBuilder()
        .setId(CLUSTER_ID)
        .setMeta(Meta.newBuilder().setVersion(CLUSTER_VERSION).setCreatedAt(JOINED))
        .setSpec(
            ClusterSpec.newBuilder()
                .setAnnotations(io.corral.api.Annotations.newBuilder().setName("default"))
                .setOrchestration(OrchestrationConfig.newBuilder().setTaskHistoryRetentionLimit(5))
                .setDispatcher(
                    DispatcherConfig.newBuilder()
                        .setHeartbeatPeriod(
                            com.google.protobuf.Duration.newBuilder().setSeconds(5)))
                .setCaConfig(
                    CAConfig.newBuilder()
                        .setNodeCertExpiry(
                            com.google.protobuf.Duration.newBuilder().setSeconds(90L * 24 * 3600))))
        .setRootCa(
            RootCA.newBuilder()
                .setJoinTokens(
                    JoinTokens.newBuilder().setWorker(WORKER_TOKEN).setManager(MANAGER_TOKEN)))
        .build();
  }

  // ---------------------------------------------------------------------------------------------------------
  // The services
  // ---------------------------------------------------------------------------------------------------------

  /**
   * Records the call, applies a matching failure, else answers with {@code body} (run under the
   * lock).
   */
  private <Q extends Message, R> void answer(
      String method, Q request, StreamObserver<R> observer, Function<Q, R> body) {
    R reply;
    synchronized (this) {
      calls.add(new Call(method, request));
      Status failure =
          failures.stream()
              .filter(f -> f.method().equals(method) && f.when().test(request))
              .map(Failure::status)
              .findFirst()
              .orElse(null);
      try {
        if (failure != null) {
          throw failure.asRuntimeException();
        }
        reply = body.apply(request);
      } catch (StatusRuntimeException e) {
        observer.onError(e);
        return;
      }
    }
    observer.onNext(reply);
    observer.onCompleted();
  }

  /**
   * The node {@code ref} names, resolved as the manager resolves it (id, hostname, unique id
   * prefix).
   */
  private Node stored(String ref) {
    return References.resolve(
        "node",
        ref,
        id -> Optional.ofNullable(nodes.get(id)),
        name ->
            nodes.values().stream()
                .filter(n -> n.getDescription().getHostname().equals(name))
                .toList(),
        prefix -> nodes.values().stream().filter(n -> n.getId().startsWith(prefix)).toList());
  }

  /** Swarmkit's node filters: every given filter must match, any value within one. */
  private static boolean matches(Node n, ListNodesRequest.Filters f) {
    String hostname = n.getDescription().getHostname();
    return (f.getNamesCount() == 0 || f.getNamesList().contains(hostname))
        && (f.getNamePrefixesCount() == 0
            || f.getNamePrefixesList().stream().anyMatch(hostname::startsWith))
        && (f.getIdPrefixesCount() == 0
            || f.getIdPrefixesList().stream().anyMatch(n.getId()::startsWith))
        && (f.getRolesCount() == 0 || f.getRolesList().contains(n.getRole()))
        && (f.getMembershipsCount() == 0
            || f.getMembershipsList().contains(n.getSpec().getMembership()))
        && f.getLabelsMap().entrySet().stream()
            .allMatch(
                e -> {
                  Map<String, String> labels = n.getSpec().getAnnotations().getLabelsMap();
                  return labels.containsKey(e.getKey())
                      && (e.getValue().isEmpty() || e.getValue().equals(labels.get(e.getKey())));
                });
  }

  /**
   * The service {@code ref} names, resolved as the manager resolves it (id, name, unique id
   * prefix).
   */
  private Service storedService(String ref) {
    return References.resolve(
        "service",
        ref,
        id -> Optional.ofNullable(services.get(id)),
        name ->
            services.values().stream()
                .filter(sv -> sv.getSpec().getAnnotations().getName().equals(name))
                .toList(),
        prefix -> services.values().stream().filter(sv -> sv.getId().startsWith(prefix)).toList());
  }

  /**
   * The network {@code ref} names, resolved as the manager resolves it (id, name, unique id
   * prefix).
   */
  private io.corral.api.Network storedNetwork(String ref) {
    return References.resolve(
        "network",
        ref,
        id -> Optional.ofNullable(networks.get(id)),
        name ->
            networks.values().stream()
                .filter(n -> n.getSpec().getAnnotations().getName().equals(name))
                .toList(),
        prefix -> networks.values().stream().filter(n -> n.getId().startsWith(prefix)).toList());
  }

  /** The task {@code ref} names, resolved as the manager resolves it (id, unique id prefix). */
  private Task storedTask(String ref) {
    return References.resolve(
        "task",
        ref,
        id -> Optional.ofNullable(tasks.get(id)),
        null,
        prefix -> tasks.values().stream().filter(t -> t.getId().startsWith(prefix)).toList());
  }

  /**
   * As the real daemon fills defaults when asked (insert_defaults): here only the update monitor,
   * so that convergence waits stay short.
   */
  private Service withDefaults(Service sv) {
    if (monitor == null || sv.getSpec().getUpdate().hasMonitor()) {
      return sv;
    }
    Service.Builder b = sv.toBuilder();
    b.getSpecBuilder().getUpdateBuilder().setMonitor(monitor);
    return b.build();
  }

  private static boolean matches(Service sv, ListServicesRequest.Filters f) {
    String name = sv.getSpec().getAnnotations().getName();
    return (f.getNamesCount() == 0 || f.getNamesList().contains(name))
        && (f.getNamePrefixesCount() == 0
            || f.getNamePrefixesList().stream().anyMatch(name::startsWith))
        && (f.getIdPrefixesCount() == 0
            || f.getIdPrefixesList().stream().anyMatch(sv.getId()::startsWith))
        && f.getLabelsMap().entrySet().stream()
            .allMatch(
                e -> {
                  Map<String, String> labels = sv.getSpec().getAnnotations().getLabelsMap();
                  return labels.containsKey(e.getKey())
                      && (e.getValue().isEmpty() || e.getValue().equals(labels.get(e.getKey())));
                });
  }

  private static boolean matches(Task t, ListTasksRequest.Filters f) {
    return (f.getServiceIdsCount() == 0 || f.getServiceIdsList().contains(t.getServiceId()))
        && (f.getNodeIdsCount() == 0 || f.getNodeIdsList().contains(t.getNodeId()))
        && (f.getDesiredStatesCount() == 0
            || f.getDesiredStatesList().contains(t.getDesiredState()))
        && (f.getIdPrefixesCount() == 0
            || f.getIdPrefixesList().stream().anyMatch(t.getId()::startsWith))
        && (f.getNamePrefixesCount() == 0
            || f.getNamePrefixesList().stream().anyMatch(t.getAnnotations().getName()::startsWith))
        && (f.getSlotsCount() == 0 || f.getSlotsList().contains(t.getSlot()));
  }

  /** Whether {@code t} carries its service's spec_version (both unset counts as equal). */
  private boolean upToDate(Task t) {
    Service sv = services.get(t.getServiceId());
    return sv != null && sv.getSpecVersion().getIndex() == t.getSpecVersion().getIndex();
  }

  private ListServiceStatusesResponse.ServiceStatus statusOf(String id) {
    ListServiceStatusesResponse.ServiceStatus given = statuses.get(id);
    if (given != null) {
      return given;
    }
    Service sv = services.get(id);
    long running =
        tasks.values().stream()
            .filter(
                t -> t.getServiceId().equals(id) && t.getStatus().getState() == TaskState.RUNNING)
            .count();
    return ListServiceStatusesResponse.ServiceStatus.newBuilder()
        .setServiceId(id)
        .setDesiredTasks(sv == null ? 0 : sv.getSpec().getReplicated().getReplicas())
        .setRunningTasks(running)
        .build();
  }

  private boolean selected(LogMessage m, io.corral.api.LogSelector sel) {
    return sel.getServiceIdsList().contains(m.getContext().getServiceId())
        || sel.getNodeIdsList().contains(m.getContext().getNodeId())
        || sel.getTaskIdsList().contains(m.getContext().getTaskId());
  }

  private final class Control extends ControlGrpc.ControlImplBase {
    @Override
    public void getService(GetServiceRequest request, StreamObserver<GetServiceResponse> observer) {
      answer(
          "GetService",
          request,
          observer,
          r -> {
            Service sv = storedService(r.getServiceId());
            Deque<UpdateStatus> script = updateEvolution.get(sv.getId());
            if (r.getInsertDefaults() && script != null && !script.isEmpty()) {
              UpdateStatus next = script.size() > 1 ? script.poll() : script.peek();
              sv = sv.toBuilder().setUpdateStatus(next).build();
              services.put(sv.getId(), sv);
            }
            return GetServiceResponse.newBuilder()
                .setService(r.getInsertDefaults() ? withDefaults(sv) : sv)
                .build();
          });
    }

    @Override
    public void promoteService(
        PromoteServiceRequest request, StreamObserver<PromoteServiceResponse> observer) {
      answer(
          "PromoteService",
          request,
          observer,
          r -> {
            Service sv = storedService(r.getServiceId());
            if (sv.getUpdateStatus().getState() != UpdateStatus.UpdateState.CANARY) {
              throw Status.FAILED_PRECONDITION
                  .withDescription(
                      "service "
                          + sv.getSpec().getAnnotations().getName()
                          + " is not in its canary stage: there is no update to promote")
                  .asRuntimeException();
            }
            // As the manager: the update goes on and is not held again.
            Service promoted =
                sv.toBuilder()
                    .setMeta(sv.getMeta().toBuilder().setVersion(sv.getMeta().getVersion() + 1))
                    .setUpdateStatus(
                        sv.getUpdateStatus().toBuilder()
                            .setState(UpdateStatus.UpdateState.UPDATING)
                            .setCanaryPromoted(true)
                            .setMessage("update in progress"))
                    .build();
            services.put(promoted.getId(), promoted);
            return PromoteServiceResponse.newBuilder().setService(promoted).build();
          });
    }

    @Override
    public void listServices(
        ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
      answer(
          "ListServices",
          request,
          observer,
          r ->
              ListServicesResponse.newBuilder()
                  .addAllServices(
                      services.values().stream().filter(sv -> matches(sv, r.getFilters())).toList())
                  .build());
    }

    @Override
    public void createService(
        CreateServiceRequest request, StreamObserver<CreateServiceResponse> observer) {
      answer(
          "CreateService",
          request,
          observer,
          r -> {
            String id =
                nextServiceIds.isEmpty()
                    ? String.format("svc%022d", ++serviceCounter)
                    : nextServiceIds.poll();
            Service created =
                Service.newBuilder()
                    .setId(id)
                    .setMeta(
                        Meta.newBuilder().setVersion(1).setCreatedAt(JOINED).setUpdatedAt(JOINED))
                    .setSpec(r.getSpec())
                    .build();
            services.put(id, created);
            return CreateServiceResponse.newBuilder().setService(created).build();
          });
    }

    @Override
    public void updateService(
        UpdateServiceRequest request, StreamObserver<UpdateServiceResponse> observer) {
      answer(
          "UpdateService",
          request,
          observer,
          r -> {
            Service sv = storedService(r.getServiceId());
            if (r.getServiceVersion().getIndex() != sv.getMeta().getVersion()) {
              throw Status.UNKNOWN.withDescription("update out of sequence").asRuntimeException();
            }
            Service.Builder b =
                sv.toBuilder()
                    .setMeta(sv.getMeta().toBuilder().setVersion(sv.getMeta().getVersion() + 1));
            if (r.getRollback() == UpdateServiceRequest.Rollback.PREVIOUS) {
              // As the manager's ServiceRevisions: the two specs and their versions swap.
              if (!sv.hasPreviousSpec()) {
                throw Status.FAILED_PRECONDITION
                    .withDescription(
                        "service "
                            + sv.getSpec().getAnnotations().getName()
                            + " does not have a previous spec; there is nothing to roll back to")
                    .asRuntimeException();
              }
              b.setSpec(sv.getPreviousSpec())
                  .setSpecVersion(sv.getPreviousSpecVersion())
                  .setPreviousSpec(sv.getSpec())
                  .setPreviousSpecVersion(sv.getSpecVersion())
                  .setUpdateStatus(
                      UpdateStatus.newBuilder()
                          .setState(UpdateStatus.UpdateState.ROLLBACK_STARTED)
                          .setMessage("manually requested rollback"));
            } else {
              long next =
                  Math.max(sv.getSpecVersion().getIndex(), sv.getPreviousSpecVersion().getIndex())
                      + 1;
              b.setSpec(r.getSpec())
                  .setPreviousSpec(sv.getSpec())
                  .setPreviousSpecVersion(sv.getSpecVersion())
                  .clearUpdateStatus();
              if (!sv.getSpec().getTask().equals(r.getSpec().getTask())) {
                b.setSpecVersion(io.corral.api.Version.newBuilder().setIndex(next));
              }
            }
            Service updated = b.build();
            services.put(updated.getId(), updated);
            return UpdateServiceResponse.newBuilder().setService(updated).build();
          });
    }

    @Override
    public void removeService(
        RemoveServiceRequest request, StreamObserver<RemoveServiceResponse> observer) {
      answer(
          "RemoveService",
          request,
          observer,
          r -> {
            services.remove(storedService(r.getServiceId()).getId());
            return RemoveServiceResponse.getDefaultInstance();
          });
    }

    @Override
    public void listServiceStatuses(
        ListServiceStatusesRequest request, StreamObserver<ListServiceStatusesResponse> observer) {
      answer(
          "ListServiceStatuses",
          request,
          observer,
          r ->
              ListServiceStatusesResponse.newBuilder()
                  .addAllStatuses(
                      r.getServicesList().stream().map(FakeDaemon.this::statusOf).toList())
                  .build());
    }

    @Override
    public void getTask(GetTaskRequest request, StreamObserver<GetTaskResponse> observer) {
      answer(
          "GetTask",
          request,
          observer,
          r -> GetTaskResponse.newBuilder().setTask(storedTask(r.getTaskId())).build());
    }

    @Override
    public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> observer) {
      answer(
          "ListTasks",
          request,
          observer,
          r -> {
            // Only the progress poll (up-to-date tasks) moves the script on, so that the other
            // calls a poll makes see the same snapshot.
            if (!evolution.isEmpty() && r.getFilters().getUpToDate()) {
              List<Task> next = evolution.size() > 1 ? evolution.poll() : evolution.peek();
              next.forEach(t -> tasks.put(t.getId(), t));
            }
            return ListTasksResponse.newBuilder()
                .addAllTasks(
                    tasks.values().stream()
                        .filter(t -> matches(t, r.getFilters()))
                        .filter(t -> !r.getFilters().getUpToDate() || upToDate(t))
                        .toList())
                .build();
          });
    }

    @Override
    public void serviceLogs(ServiceLogsRequest request, StreamObserver<LogMessage> observer) {
      List<LogMessage> selected;
      synchronized (FakeDaemon.this) {
        calls.add(new Call("ServiceLogs", request));
        Status failure =
            failures.stream()
                .filter(f -> f.method().equals("ServiceLogs") && f.when().test(request))
                .map(Failure::status)
                .findFirst()
                .orElse(null);
        if (failure != null) {
          observer.onError(failure.asRuntimeException());
          return;
        }
        selected = logs.stream().filter(m -> selected(m, request.getSelector())).toList();
      }
      selected.forEach(observer::onNext);
      observer.onCompleted();
    }

    @Override
    public void getNetwork(
        io.corral.api.GetNetworkRequest request,
        StreamObserver<io.corral.api.GetNetworkResponse> observer) {
      answer(
          "GetNetwork",
          request,
          observer,
          r ->
              io.corral.api.GetNetworkResponse.newBuilder()
                  .setNetwork(storedNetwork(r.getNetworkId()))
                  .build());
    }

    @Override
    public void listNetworks(
        io.corral.api.ListNetworksRequest request,
        StreamObserver<io.corral.api.ListNetworksResponse> observer) {
      answer(
          "ListNetworks",
          request,
          observer,
          r ->
              io.corral.api.ListNetworksResponse.newBuilder()
                  .addAllNetworks(networks.values())
                  .build());
    }

    @Override
    public void createNetwork(
        io.corral.api.CreateNetworkRequest request,
        StreamObserver<io.corral.api.CreateNetworkResponse> observer) {
      answer(
          "CreateNetwork",
          request,
          observer,
          r -> {
            String id = String.format("net%022d", ++networkCounter);
            io.corral.api.Network created =
                io.corral.api.Network.newBuilder()
                    .setId(id)
                    .setMeta(Meta.newBuilder().setVersion(1).setCreatedAt(JOINED))
                    .setSpec(r.getSpec())
                    .build();
            networks.put(id, created);
            return io.corral.api.CreateNetworkResponse.newBuilder().setNetwork(created).build();
          });
    }

    @Override
    public void removeNetwork(
        io.corral.api.RemoveNetworkRequest request,
        StreamObserver<io.corral.api.RemoveNetworkResponse> observer) {
      answer(
          "RemoveNetwork",
          request,
          observer,
          r -> {
            io.corral.api.Network n = storedNetwork(r.getNetworkId());
            // As the manager: refused while a service's task template names it.
            for (Service sv : services.values()) {
              if (sv.getSpec().getTask().getNetworksList().stream()
                  .anyMatch(a -> a.getTarget().equals(n.getId()))) {
                throw Status.FAILED_PRECONDITION
                    .withDescription(
                        "network "
                            + n.getSpec().getAnnotations().getName()
                            + " is in use by service "
                            + sv.getSpec().getAnnotations().getName())
                    .asRuntimeException();
              }
            }
            networks.remove(n.getId());
            return io.corral.api.RemoveNetworkResponse.getDefaultInstance();
          });
    }

    @Override
    public void getNode(GetNodeRequest request, StreamObserver<GetNodeResponse> observer) {
      answer(
          "GetNode",
          request,
          observer,
          r -> GetNodeResponse.newBuilder().setNode(stored(r.getNodeId())).build());
    }

    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> observer) {
      answer(
          "ListNodes",
          request,
          observer,
          r ->
              ListNodesResponse.newBuilder()
                  .addAllNodes(
                      nodes.values().stream().filter(n -> matches(n, r.getFilters())).toList())
                  .build());
    }

    @Override
    public void updateNode(UpdateNodeRequest request, StreamObserver<UpdateNodeResponse> observer) {
      answer(
          "UpdateNode",
          request,
          observer,
          r -> {
            Node n = stored(r.getNodeId());
            if (r.getNodeVersion().getIndex() != n.getMeta().getVersion()) {
              throw Status.UNKNOWN.withDescription("update out of sequence").asRuntimeException();
            }
            Node updated =
                n.toBuilder()
                    .setSpec(r.getSpec())
                    .setMeta(n.getMeta().toBuilder().setVersion(n.getMeta().getVersion() + 1))
                    .build();
            nodes.put(updated.getId(), updated);
            return UpdateNodeResponse.newBuilder().setNode(updated).build();
          });
    }

    @Override
    public void removeNode(RemoveNodeRequest request, StreamObserver<RemoveNodeResponse> observer) {
      answer(
          "RemoveNode",
          request,
          observer,
          r -> {
            nodes.remove(stored(r.getNodeId()).getId());
            return RemoveNodeResponse.getDefaultInstance();
          });
    }

    @Override
    public void listClusters(
        ListClustersRequest request, StreamObserver<ListClustersResponse> observer) {
      answer(
          "ListClusters",
          request,
          observer,
          r -> ListClustersResponse.newBuilder().addAllClusters(clusters).build());
    }

    @Override
    public void updateCluster(
        UpdateClusterRequest request, StreamObserver<UpdateClusterResponse> observer) {
      answer(
          "UpdateCluster",
          request,
          observer,
          r -> {
            int i = 0;
            while (i < clusters.size() && !clusters.get(i).getId().equals(r.getClusterId())) {
              i++;
            }
            if (i == clusters.size()) {
              throw Status.NOT_FOUND
                  .withDescription("cluster " + r.getClusterId() + " not found")
                  .asRuntimeException();
            }
            Cluster c = clusters.get(i);
            if (r.getClusterVersion().getIndex() != c.getMeta().getVersion()) {
              throw Status.UNKNOWN.withDescription("update out of sequence").asRuntimeException();
            }
            Cluster.Builder b =
                c.toBuilder()
                    .setSpec(r.getSpec())
                    .setMeta(c.getMeta().toBuilder().setVersion(c.getMeta().getVersion() + 1));
            JoinTokens.Builder tokens = b.getRootCaBuilder().getJoinTokensBuilder();
            if (r.getRotation().getWorkerJoinToken()) {
              tokens.setWorker("SWMTKN-1-abc-worker" + (++rotations));
            }
            if (r.getRotation().getManagerJoinToken()) {
              tokens.setManager("SWMTKN-1-abc-manager" + (++rotations));
            }
            Cluster updated = b.build();
            clusters.set(i, updated);
            return UpdateClusterResponse.newBuilder().setCluster(updated).build();
          });
    }
  }

  private final class Local extends LocalSwarmGrpc.LocalSwarmImplBase {
    @Override
    public void init(
        io.corral.api.InitRequest request, StreamObserver<io.corral.api.InitResponse> observer) {
      answer(
          "Init",
          request,
          observer,
          r ->
              io.corral.api.InitResponse.newBuilder()
                  .setNodeId("initnode")
                  .setWorkerToken(WORKER_TOKEN)
                  .setAdvertiseAddr("10.0.0.1:2377")
                  .build());
    }

    @Override
    public void join(
        io.corral.api.JoinRequest request, StreamObserver<io.corral.api.JoinResponse> observer) {
      answer(
          "Join",
          request,
          observer,
          r -> io.corral.api.JoinResponse.newBuilder().setNodeId("joined").build());
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> observer) {
      answer(
          "Info",
          request,
          observer,
          r ->
              info != null
                  ? info
                  : InfoResponse.newBuilder()
                      .setState(InfoResponse.LocalState.ACTIVE)
                      .setNodeId(selfId)
                      .setNodeAddr(nodeAddr)
                      .setManager(true)
                      .setClusterId(clusters.isEmpty() ? "" : clusters.get(0).getId())
                      .build());
    }

    @Override
    public void version(
        io.corral.api.VersionRequest request,
        StreamObserver<io.corral.api.VersionResponse> observer) {
      answer(
          "Version",
          request,
          observer,
          r -> io.corral.api.VersionResponse.newBuilder().setServer(SERVER_VERSION).build());
    }
  }
}
