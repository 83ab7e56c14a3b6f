package io.corral.manager.logbroker;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Marks calls that another manager forwarded to this one (header {@code corral-forwarded-by}), so
 * that a call is forwarded at most once: during an election two managers must not bounce it between
 * them.
 */
public final class ForwardedCall implements ServerInterceptor {

  /** The header a forwarding manager sets, naming itself. */
  public static final Metadata.Key<String> FORWARDED_BY =
      Metadata.Key.of("corral-forwarded-by", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> FROM = Context.key("corral-forwarded-by");

  /** Whether the call being handled was forwarded by another manager. */
  public static boolean isCurrent() {
    return FROM.get() != null;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String from = headers.get(FORWARDED_BY);
    if (from == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(FROM, from), call, headers, next);
  }
}
