package io.corral.daemon;

import io.corral.api.ControlGrpc;
import io.corral.manager.ManagerNode;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's local API on its unix socket: LocalSwarm always, and the manager's Control API while
 * this node is a manager. Only root reaches it (the socket is 0600 in a 0700 directory): the file
 * system is the access control, as for docker.sock.
 */
final class LocalApi implements AutoCloseable {

  private static final String NOT_A_MANAGER =
      "This node is not a swarm manager. Worker nodes can't be used to "
          + "view or modify cluster state. Please run this command on a manager node or promote the current node to "
          + "a manager.";
  private static final String NOT_IN_SWARM =
      "This node is not a swarm manager. Use \"corral swarm init\" or "
          + "\"corral swarm join\" to connect this node to swarm and try again.";

  private final Path socket;
  private final Daemon daemon;
  private final EpollEventLoopGroup group = new EpollEventLoopGroup(2);
  private volatile ServerServiceDefinition control;
  private Server server;

  LocalApi(Path socket, Daemon daemon) {
    this.socket = socket;
    this.daemon = daemon;
  }

  void start() throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    if (!Files.exists(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    // A socket left by a daemon that was killed would make bind fail.
    Files.deleteIfExists(socket);
    server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .addService(new LocalSwarmService(daemon))
            // Always registered, so that a worker answers like docker instead of "method not
            // found".
            .addService(
                ServerInterceptors.intercept(new ControlGrpc.ControlImplBase() {}, new ToManager()))
            .build()
            .start();
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
  }

  /** Serves the manager's Control API on the socket, or stops serving it (null). */
  void useManager(ManagerNode manager) {
    control = manager == null ? null : manager.control().bindService();
  }

  /**
   * Hands Control calls to the manager's Control API, or answers like docker on a worker or outside
   * a swarm.
   */
  private final class ToManager implements ServerInterceptor {
    @Override
    @SuppressWarnings("unchecked")
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      ServerServiceDefinition target = control;
      if (target == null) {
        boolean inSwarm =
            daemon.info().getState() != io.corral.api.InfoResponse.LocalState.INACTIVE;
        call.close(
            Status.FAILED_PRECONDITION.withDescription(inSwarm ? NOT_A_MANAGER : NOT_IN_SWARM),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
      ServerMethodDefinition<Q, R> method =
          (ServerMethodDefinition<Q, R>)
              target.getMethod(call.getMethodDescriptor().getFullMethodName());
      return method.getServerCallHandler().startCall(call, headers);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try {
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // best effort: the next start removes it anyway
    }
  }
}
