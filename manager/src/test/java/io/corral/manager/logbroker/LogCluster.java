package io.corral.manager.logbroker;

import io.corral.api.Annotations;
import io.corral.api.ControlGrpc;
import io.corral.api.ManagerStatus;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeRole;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.Store;
import io.corral.manager.store.StorePeer;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One manager's log plumbing for tests: a broker and Control.ServiceLogs on a plaintext localhost
 * server, over a store shared with other managers of the same test, with a Raft view the test moves
 * by hand. The caller's node id comes from a test header instead of a certificate.
 */
final class LogCluster implements AutoCloseable {

  static final Metadata.Key<String> NODE_HEADER =
      Metadata.Key.of("test-node-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALLER = Context.key("test-caller");

  final Store store;
  final String selfId;
  final AtomicBoolean leading;
  final AtomicReference<String> leaderId = new AtomicReference<>();
  final LogBroker broker;
  final ServiceLogs serviceLogs;
  final Server server;
  final String addr;
  private final List<ManagedChannel> channels = new ArrayList<>();

  LogCluster(Store store, String selfId, boolean leading, Duration grace) {
    this.store = store;
    this.selfId = selfId;
    this.leading = new AtomicBoolean(leading);
    if (leading) {
      leaderId.set(selfId);
    }
    RaftView raft =
        new RaftView() {
          @Override
          public String selfId() {
            return selfId;
          }

          @Override
          public boolean isLeader() {
            return LogCluster.this.leading.get();
          }

          @Override
          public Optional<String> leaderId() {
            return Optional.ofNullable(leaderId.get());
          }

          @Override
          public List<StorePeer> members() {
            return List.of();
          }

          @Override
          public Map<String, Boolean> reachability() {
            return Map.of();
          }
        };
    broker =
        new LogBroker(
            () -> {
              String id = CALLER.get();
              if (id == null) {
                throw Status.UNAUTHENTICATED
                    .withDescription("no test node id")
                    .asRuntimeException();
              }
              return id;
            },
            this.leading::get,
            grace);
    serviceLogs =
        new ServiceLogs(store, raft, broker, new LeaderForwarder(store, raft, this::plaintext));
    ControlGrpc.ControlImplBase control =
        new ControlGrpc.ControlImplBase() {
          @Override
          public void serviceLogs(
              io.corral.api.ServiceLogsRequest request,
              io.grpc.stub.StreamObserver<io.corral.api.LogMessage> out) {
            serviceLogs.serve(request, out);
          }
        };
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(ServerInterceptors.intercept(control, new ForwardedCall()))
              .addService(ServerInterceptors.intercept(broker, new CallerFromHeader()))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    addr = "127.0.0.1:" + server.getPort();
    // This manager as the store knows it, so that followers find the leader's API address.
    store.update(
        tx -> {
          if (tx.get(ObjectKind.NODE, selfId).isEmpty()) {
            tx.create(
                Node.newBuilder()
                    .setId(selfId)
                    .setRole(NodeRole.MANAGER)
                    .setDescription(NodeDescription.newBuilder().setHostname("host-" + selfId))
                    .setManagerStatus(ManagerStatus.newBuilder().setApiAddr(addr))
                    .build());
          }
        });
  }

  /** A new plaintext channel to this manager. */
  ManagedChannel channel() {
    return plaintext(addr);
  }

  private synchronized ManagedChannel plaintext(String target) {
    ManagedChannel ch = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    channels.add(ch);
    return ch;
  }

  static InMemoryStore newStore() {
    return new InMemoryStore();
  }

  static void addNode(Store store, String id) {
    store.update(
        tx ->
            tx.create(
                Node.newBuilder()
                    .setId(id)
                    .setDescription(NodeDescription.newBuilder().setHostname("host-" + id))
                    .build()));
  }

  static void addService(Store store, String id) {
    store.update(
        tx ->
            tx.create(
                Service.newBuilder()
                    .setId(id)
                    .setSpec(
                        ServiceSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName("name-" + id)))
                    .build()));
  }

  static void addTask(Store store, String id, String serviceId, String nodeId, TaskState state) {
    store.update(
        tx ->
            tx.create(
                Task.newBuilder()
                    .setId(id)
                    .setServiceId(serviceId)
                    .setNodeId(nodeId)
                    .setDesiredState(TaskState.RUNNING)
                    .setStatus(TaskStatus.newBuilder().setState(state))
                    .build()));
  }

  /**
   * Sets the test caller id from {@link #NODE_HEADER}, as the Authorizer does from the certificate.
   */
  private static final class CallerFromHeader implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String id = headers.get(NODE_HEADER);
      if (id == null) {
        return next.startCall(call, headers);
      }
      return Contexts.interceptCall(Context.current().withValue(CALLER, id), call, headers, next);
    }
  }

  @Override
  public void close() {
    serviceLogs.close();
    broker.close();
    server.shutdownNow();
    synchronized (this) {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
