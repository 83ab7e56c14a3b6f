package io.corral.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.util.concurrent.TimeUnit;

/** Opens gRPC channels to a daemon's unix socket. */
public final class DaemonChannels {

  /** Where the daemon listens unless told otherwise (as docker's /var/run/docker.sock). */
  public static final String DEFAULT_SOCKET = "/run/corral/corral.sock";

  private DaemonChannels() {}

  /**
   * A plaintext channel over the unix socket: the socket's file permissions are the access control.
   */
  public static ManagedChannel open(String socketPath) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "unix sockets need netty's native epoll transport, which is unavailable: "
              + Epoll.unavailabilityCause());
    }
    EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socketPath))
            .eventLoopGroup(group)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .build();
    return new ShutdownWith(channel, group);
  }

  /** A channel that also stops its event loop when shut down. */
  private static final class ShutdownWith extends ManagedChannel {
    private final ManagedChannel delegate;
    private final EpollEventLoopGroup group;

    ShutdownWith(ManagedChannel delegate, EpollEventLoopGroup group) {
      this.delegate = delegate;
      this.group = group;
    }

    @Override
    public ManagedChannel shutdown() {
      delegate.shutdown();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      return this;
    }

    @Override
    public ManagedChannel shutdownNow() {
      delegate.shutdownNow();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      return this;
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public <Q, R> io.grpc.ClientCall<Q, R> newCall(
        io.grpc.MethodDescriptor<Q, R> method, io.grpc.CallOptions options) {
      return delegate.newCall(method, options);
    }

    @Override
    public String authority() {
      return delegate.authority();
    }
  }
}
