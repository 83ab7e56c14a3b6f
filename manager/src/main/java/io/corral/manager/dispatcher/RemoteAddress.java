package io.corral.manager.dispatcher;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * The IP address a call came from, as the manager sees it (the node's address in `node inspect`).
 */
public final class RemoteAddress implements ServerInterceptor {

  private static final Context.Key<String> IP = Context.key("corral-remote-ip");

  /** The caller's IP for the call being handled, when it came over TCP. */
  public static Optional<String> ofCurrentCall() {
    return Optional.ofNullable(IP.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return Contexts.interceptCall(
          Context.current().withValue(IP, inet.getAddress().getHostAddress()), call, headers, next);
    }
    return next.startCall(call, headers);
  }
}
